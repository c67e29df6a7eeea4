"""Parameters of the generating process (the "true world").

Every number the simulation draws from lives here; ``model.py`` derives the
rates and ``truth.py`` the expected KPI values from the same numbers.
Codes come from ``trustmart.contract``.
"""

from __future__ import annotations

from dataclasses import dataclass

from trustmart.contract import POLICY_CATEGORIES, SURFACES

HOUR = 3600
DAY = 86400


@dataclass(frozen=True)
class LogNormal:
    """A log-normal delay: median (hours) and sigma of the log."""

    median_hours: float
    sigma: float


@dataclass(frozen=True)
class Detector:
    """An automated detector: the category it flags, its precision (share of
    flagged objects that truly violate), the share of its objects decided by
    automation, the share of its category's objects it is the first signal
    for, and whether it gives a score (hash matchers do not)."""

    category: str
    precision: float
    automated_share: float
    path_share: float
    scores: bool = True


#: Share of signalled (reported or detected) objects per policy category.
CATEGORY_SHARE: dict[str, float] = {
    "spam": 0.30,
    "harassment": 0.12,
    "scams_fraud": 0.10,
    "adult_nudity": 0.10,
    "hate_speech": 0.08,
    "misinformation": 0.06,
    "ip_infringement": 0.05,
    "other": 0.05,
    "violence": 0.04,
    "privacy": 0.03,
    "illegal_goods": 0.03,
    "self_harm": 0.02,
    "child_safety": 0.01,
    "violent_extremism": 0.01,
}
assert set(CATEGORY_SHARE) == set(POLICY_CATEGORIES)

DETECTORS: dict[str, Detector] = {
    "spam_clf_v3": Detector("spam", 0.85, 0.70, 0.60),
    "nudity_clf_v2": Detector("adult_nudity", 0.90, 0.60, 0.50),
    "scam_rules_v4": Detector("scams_fraud", 0.60, 0.20, 0.40),
    "hate_clf_v1": Detector("hate_speech", 0.55, 0.00, 0.30),
    "toxicity_clf_v2": Detector("harassment", 0.50, 0.00, 0.20),
    "csam_hash_match": Detector("child_safety", 0.99, 0.95, 0.70, scores=False),
    "gifct_hash_match": Detector("violent_extremism", 0.97, 0.90, 0.60, scores=False),
}

#: Reporter type of an object's first report, and the share of such objects
#: that truly violate.
REPORTER_SHARE: dict[str, float] = {"user": 0.88, "trusted_flagger": 0.09, "authority": 0.03}
REPORTER_PRECISION: dict[str, float] = {"user": 0.35, "trusted_flagger": 0.80, "authority": 0.70}
#: Share of user reports filed anonymously (reporter_id null).
ANONYMOUS_SHARE = 0.10
#: Share of reports whose reason differs from the object's category.
MISCATEGORISED_REPORT_SHARE = 0.10
#: Share of report-first objects that are accounts (not content).
ACCOUNT_OBJECT_SHARE = 0.10
#: Share of report-first objects decided by automation.
REPORTED_AUTOMATED_SHARE = 0.12

#: P(decision is a violation | object truly violates), by decision method.
SENSITIVITY: dict[str, float] = {"automated": 0.96, "human": 0.93}
#: P(decision is a violation | object does not violate), by decision method.
FALSE_POSITIVE_RATE: dict[str, float] = {"automated": 0.05, "human": 0.04}

#: Delay from first signal to decision, human review, by severity.
HUMAN_DELAY: dict[str, LogNormal] = {
    "critical": LogNormal(0.6, 1.2),
    "high": LogNormal(2.0, 1.3),
    "medium": LogNormal(18.0, 1.0),
    "low": LogNormal(60.0, 1.1),
}
#: Delay from first signal to decision, automated (any severity).
AUTOMATED_DELAY = LogNormal(0.05, 1.0)
#: Smallest signal-to-decision delay, seconds (decisions come strictly after).
MIN_DELAY_SECONDS = 5

#: Extra reports after the first signal: Poisson mean by truth.
EXTRA_REPORTS_MEAN: dict[bool, float] = {True: 0.6, False: 0.3}
#: Share of detector-first objects that are also reported (after the flag).
DETECTED_ALSO_REPORTED = 0.25
#: Delay from first signal to a later report.
LATER_REPORT_DELAY = LogNormal(4.0, 1.5)

#: Proactive sweeps: violation decisions with no prior signal.
SWEEP_RATE = 0.05  # sweep decisions per base signalled object
SWEEP_PRECISION = 0.90  # share of swept objects that truly violate
SWEEP_AUTOMATED_SHARE = 0.50
SWEEP_LATE_REPORT_SHARE = 0.10  # reported after the decision

#: Appeals against violation decisions.
APPEAL_PROBABILITY = 0.08
WITHDRAW_PROBABILITY = 0.10  # of appeals
PARTIAL_PROBABILITY = 0.08  # of non-withdrawn appeals
#: P(reversed | non-withdrawn appeal), by whether the decision was correct.
REVERSAL_PROBABILITY: dict[bool, float] = {True: 0.10, False: 0.55}
APPEAL_DELAY = LogNormal(18.0, 1.2)  # decision -> appeal
RESOLUTION_AUTOMATED_SHARE = 0.30
RESOLUTION_DELAY: dict[str, LogNormal] = {
    "human": LogNormal(36.0, 1.0),
    "automated": LogNormal(2.0, 0.8),
    "withdrawn": LogNormal(24.0, 1.0),
}
APPEAL_WINDOW_DAYS = 30

#: Recurrence: after each violation decision the account, with probability
#: q, brings a new flagged object whose first signal follows after an
#: exponential delay (mean in days). The new object is drawn like any
#: signalled object (so it is confirmed with probability c, see model.py).
REOFFEND_PROBABILITY = 0.35
REOFFEND_MEAN_DAYS = 20.0

#: Attack wave: a few days where one category's volume multiplies (new
#: throwaway accounts, which do not re-offend) and human review slows down.
ATTACK_CATEGORY = "scams_fraud"
ATTACK_MULTIPLIER = 4.0
ATTACK_DAYS = 4
ATTACK_HUMAN_DELAY_MULTIPLIER = 2.5
ATTACK_DEVICE_POOL = 25  # shared devices / IPs of the attack accounts

#: Ban evasion: after each violation decision on an account object (an
#: account action: suspend, ban, or any action on the account itself) of a
#: non-attack account, with probability EVADE_PROBABILITY the offender
#: returns under a new account: the next fresh account whose first object
#: is signalled at least Exp(EVADE_MEAN_DAYS) after the decision. The two
#: accounts share one identity value of a type drawn from EVADE_LINK_SHARE;
#: `crowded` shares only a public device of the crowded pool (seen on many
#: newcomers), which links nobody.
EVADE_PROBABILITY = 0.5
EVADE_MEAN_DAYS = 10.0
EVADE_LINK_SHARE: dict[str, float] = {"device": 0.4, "email": 0.25, "payment": 0.2, "crowded": 0.15}
#: Ordinary newcomers: accounts with identity signals and no enforcement,
#: per day at scale 1; a share of their devices are public ones (shared
#: Wi-Fi, a library computer) from a small crowded pool.
NEWCOMERS_PER_DAY = 1500.0
CROWDED_DEVICE_POOL = 6
NEWCOMER_CROWDED_DEVICE_SHARE = 0.5
#: Accounts of newcomers start at this id (apart from the simulation's).
NEWCOMER_ID_START = 2_000_000_000

#: Ingestion lag (event -> ingested_at).
INGEST_LAG = LogNormal(0.15, 1.2)
SKEW_SHARE = 0.003  # good rows whose event is up to 10 min after ingested_at
SKEW_MAX_SECONDS = 600
#: Enforcements delivered twice; the later delivery wins.
REDELIVERY_SHARE = 0.03
REDELIVERY_DELAY_HOURS = (1.0, 72.0)
#: Good rows written with a non-zero UTC offset, and the offsets used.
OFFSET_SHARE = 0.05
OFFSETS_MINUTES: tuple[int, ...] = (60, 120, 330, 540, -300, -480, -180)
#: Good rows with a code written in another case or padded (still valid).
VARIANT_SHARE = 0.005

#: Quality assurance of decisions.
QA_SHARE = 0.03
QA_AGREE_IF_CORRECT = 0.98
QA_AGREE_IF_WRONG = 0.05
QA_DELAY_DAYS = (1.0, 7.0)
QA_REVIEWERS = 12
HUMAN_REVIEWERS = 200
TRUSTED_FLAGGERS = 30
AUTHORITIES = 8

#: Volume. Expected reports a day at scale 1 (steady state, outside the wave).
REPORTS_PER_DAY = 1000.0
#: Mean daily active users at scale 1.
ACTIVE_USERS = 400_000.0
#: Mean daily content views at scale 1, per surface.
VIEWS_PER_DAY: dict[str, float] = {
    "feed": 6_000_000.0,
    "comments": 2_000_000.0,
    "messages": 1_500_000.0,
    "marketplace": 800_000.0,
    "profile": 700_000.0,
}
assert set(VIEWS_PER_DAY) == set(SURFACES)

#: Weekly cycle (Monday first), mean 1: signalled objects / views / users.
WEEKLY_ACTIVITY: tuple[float, ...] = (0.95, 0.97, 0.98, 1.00, 1.02, 1.05, 1.03)
WEEKLY_USERS: tuple[float, ...] = (1.00, 0.99, 0.99, 1.00, 1.01, 1.02, 0.99)
#: Diurnal cycle: relative intensity by UTC hour.
DIURNAL: tuple[float, ...] = (
    0.45,
    0.40,
    0.38,
    0.40,
    0.48,
    0.60,
    0.75,
    0.90,
    1.00,
    1.08,
    1.15,
    1.20,
    1.25,
    1.28,
    1.30,
    1.32,
    1.35,
    1.38,
    1.40,
    1.35,
    1.20,
    1.00,
    0.80,
    0.60,
)
#: Day-to-day noise (relative sd) of views and active users.
DAILY_NOISE = 0.02

#: Surface of content objects (accounts are on `profile`); overrides per category.
SURFACE_SHARE: dict[str, float] = {
    "feed": 0.45,
    "comments": 0.25,
    "messages": 0.15,
    "marketplace": 0.08,
    "profile": 0.07,
}
SURFACE_SHARE_BY_CATEGORY: dict[str, dict[str, float]] = {
    "scams_fraud": {
        "feed": 0.2,
        "comments": 0.1,
        "messages": 0.3,
        "marketplace": 0.35,
        "profile": 0.05,
    },
    "illegal_goods": {
        "feed": 0.15,
        "comments": 0.05,
        "messages": 0.2,
        "marketplace": 0.55,
        "profile": 0.05,
    },
    "harassment": {
        "feed": 0.25,
        "comments": 0.4,
        "messages": 0.3,
        "marketplace": 0.0,
        "profile": 0.05,
    },
}

#: Prevalence sampling: per surface, the share of views in the high-risk
#: stratum and the violation rate in each stratum; samples per day per
#: stratum at scale 1 (high-risk strata are over-sampled).
STRATA: tuple[str, ...] = ("high_risk", "low_risk")
HIGH_RISK_VIEW_SHARE: dict[str, float] = {
    "feed": 0.04,
    "comments": 0.06,
    "messages": 0.03,
    "marketplace": 0.08,
    "profile": 0.05,
}
VIOLATION_RATE: dict[str, dict[str, float]] = {
    "feed": {"high_risk": 0.040, "low_risk": 0.002},
    "comments": {"high_risk": 0.050, "low_risk": 0.004},
    "messages": {"high_risk": 0.030, "low_risk": 0.003},
    "marketplace": {"high_risk": 0.080, "low_risk": 0.005},
    "profile": {"high_risk": 0.030, "low_risk": 0.001},
}
SAMPLES_PER_DAY: dict[str, float] = {"high_risk": 10.0, "low_risk": 40.0}
LABEL_DELAY_HOURS = (1.0, 72.0)

#: Actions by object type and severity (choices, probabilities).
ACTIONS: dict[str, dict[str, dict[str, float]]] = {
    "content": {
        "critical": {"remove": 1.0},
        "high": {"remove": 0.8, "restrict": 0.2},
        "medium": {"remove": 0.5, "label": 0.3, "restrict": 0.2},
        "low": {"remove": 0.4, "label": 0.3, "warn": 0.3},
    },
    "account": {
        "critical": {"ban": 1.0},
        "high": {"suspend": 0.6, "ban": 0.4},
        "medium": {"suspend": 0.5, "warn": 0.5},
        "low": {"warn": 0.7, "restrict": 0.3},
    },
}

#: Identity signals of accounts with an enforcement.
SIGNAL_ACCOUNT_SHARE = 0.6
SIGNALS_PER_ACCOUNT = (1, 3)
SIGNAL_LOOKBACK_DAYS = 30.0
