"""Suggest the contract code a platform's value most likely means: a small
table of synonyms T&S platforms use, then string similarity. A suggestion
is only a draft for a person to confirm, never applied on its own."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from trustmart.contract import CODE_SETS, POLICY_CATEGORIES, SURFACES

#: Common platform words for contract codes, per code set.
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "surface": {
        "feed": ("timeline", "home", "home_feed", "newsfeed", "news_feed", "stream", "for_you"),
        "comments": ("comment", "reply", "replies", "thread", "threads"),
        "messages": ("message", "dm", "dms", "inbox", "chat", "direct_message", "direct_messages"),
        "marketplace": ("shop", "store", "listing", "listings", "market", "commerce"),
        "profile": ("bio", "user_profile", "account_page", "about", "profile_page"),
    },
    "action": {
        "remove": ("delete", "deleted", "takedown", "take_down", "removed", "remove_content"),
        "restrict": ("limit", "limited", "downrank", "demote", "restricted", "age_gate"),
        "label": ("labelled", "labeled", "warning_label", "interstitial", "tag"),
        "warn": ("warning", "strike", "notify", "caution"),
        "suspend": ("suspension", "temp_ban", "temporary_ban", "timeout", "disable"),
        "ban": ("permanent_ban", "perma_ban", "terminate", "termination", "disable_account"),
        "none": ("no_action", "ignore", "dismiss", "dismissed", "approve", "keep", "no_violation"),
    },
    "decision_method": {
        "automated": ("auto", "automatic", "machine", "model", "classifier", "system"),
        "human": ("manual", "reviewer", "moderator", "agent", "person"),
    },
    "resolution_method": {
        "automated": ("auto", "automatic", "machine", "model", "system"),
        "human": ("manual", "reviewer", "moderator", "agent", "person"),
    },
    "reporter_type": {
        "user": ("member", "end_user", "customer", "community", "viewer"),
        "trusted_flagger": ("trusted", "flagger", "tf", "trusted_partner", "priority_flagger"),
        "authority": ("government", "police", "law_enforcement", "regulator", "court", "lea"),
    },
    "object_type": {
        "content": ("post", "video", "image", "photo", "comment", "message", "item", "listing"),
        "account": ("user", "profile", "page", "channel", "member"),
    },
    "severity": {
        "critical": ("sev0", "p0", "urgent", "severe", "extreme"),
        "high": ("sev1", "p1", "major"),
        "medium": ("sev2", "p2", "moderate", "normal", "med"),
        "low": ("sev3", "p3", "minor"),
    },
    "appeal_status": {
        "pending": ("open", "in_review", "submitted", "queued", "new"),
        "upheld": ("denied", "rejected", "confirmed", "maintained", "sustained"),
        "reversed": ("overturned", "granted", "restored", "accepted", "approved"),
        "partially_reversed": ("partial", "partially_granted", "modified", "partially_upheld"),
        "withdrawn": ("cancelled", "canceled", "retracted", "closed_by_user"),
    },
    "signal_type": {
        "device": ("device_id", "device_fingerprint", "fingerprint", "hardware_id"),
        "ip": ("ip_address", "ipv4", "ipv6", "ip_addr"),
        "payment": ("card", "payment_method", "credit_card", "payment_instrument"),
        "email": ("email_address", "mail", "e_mail"),
    },
    "policy_category": {
        "scams_fraud": ("fraud", "scam", "scams", "phishing", "financial_scam"),
        "hate_speech": ("hate", "hateful_conduct", "hateful", "hate_and_harassment"),
        "adult_nudity": ("nudity", "sexual", "sexual_content", "porn", "adult"),
        "harassment": ("bullying", "harassment_bullying", "abuse", "cyberbullying"),
        "child_safety": ("csam", "child_abuse", "minor_safety", "child_exploitation"),
        "violent_extremism": ("terrorism", "extremism", "terrorist", "dangerous_orgs"),
        "self_harm": ("suicide", "self_injury", "suicide_self_harm", "eating_disorder"),
        "ip_infringement": ("copyright", "trademark", "ip", "counterfeit", "piracy"),
        "misinformation": ("misinfo", "disinformation", "fake_news", "false_information"),
        "privacy": ("doxxing", "private_info", "personal_information", "doxing"),
        "illegal_goods": ("drugs", "weapons", "regulated_goods", "illegal_products"),
        "violence": ("violent", "graphic_violence", "threats", "violent_content"),
        "spam": ("junk", "unsolicited", "platform_manipulation", "fake_engagement"),
        "other": ("misc", "miscellaneous", "general", "tos_other"),
    },
}


#: A value seen in fewer rows than this is rare: probably bad data.
MIN_ROWS = 20
#: A value under this share of its column's (or code set's) values is rare.
MIN_SHARE = 0.005


def is_rare(rows: int, share: float) -> bool:
    """A value too rare to be one of a platform's codes: more likely a typo,
    a test row or a value another system leaked (onboarding.draft explains
    the numbers). Such a value is never suggested for mapping silently."""
    return rows < MIN_ROWS or share < MIN_SHARE


@dataclass(frozen=True)
class Suggestion:
    """A contract code for a platform value, and why it was suggested."""

    code: str
    reason: str  # "synonym" or "similar"


def contract_codes(code_set: str, categories: list[str] | None = None) -> list[str]:
    """The contract codes of `code_set` (policy categories: `categories`,
    else the built-in ones)."""
    if code_set == "surface":
        return list(SURFACES)
    if code_set == "policy_category":
        return list(categories or POLICY_CATEGORIES)
    return list(CODE_SETS[code_set])


def _key(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", value.strip().lower()).strip("_")


def suggest(code_set: str, value: str, categories: list[str] | None = None) -> Suggestion | None:
    """The contract code `value` most likely means, or None."""
    codes = contract_codes(code_set, categories)
    key = _key(value)
    if key in codes:
        return Suggestion(key, "same code")
    for code, words in SYNONYMS.get(code_set, {}).items():
        if code in codes and key in words:
            return Suggestion(code, "synonym")
    close = difflib.get_close_matches(key, codes, n=1, cutoff=0.75)
    if close:
        return Suggestion(close[0], "similar")
    # a code inside the value, or the value inside a code (feed_v2, msgs)
    contained = [c for c in codes if len(c) >= 3 and (c in key or key in c) and len(key) >= 3]
    if len(contained) == 1:
        return Suggestion(contained[0], "similar")
    return None
