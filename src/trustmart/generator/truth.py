"""truth.json: what was written, and the expected value of each KPI under
the generating process, derived from params.py / model.py (not measured)."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

from trustmart.contract import SEVERITY_TARGETS, SURFACES

from . import params as p
from .accounting import Accounting
from .clock import activity, attack_days, attack_window
from .config import GeneratorConfig
from .model import (
    METHODS,
    Cell,
    lognormal_cdf,
    mixture_quantile,
    rates,
    signal_cells,
    sweep_cells,
)
from .rows import NULL_TS

Weighted = list[tuple[float, Cell]]


def iso(t: int) -> str | None:
    if t == NULL_TS:
        return None
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _r(x: float) -> float:
    return round(x, 6)


def steady_cells() -> Weighted:
    """Decided objects per day at scale 1 outside the attack wave, by cell."""
    r = rates()
    return [(r.signalled, c) for c in signal_cells()] + [(r.base_objects, c) for c in sweep_cells()]


def all_period_cells(config: GeneratorConfig) -> Weighted:
    """Decided objects over the whole period (incl. the attack wave's extra
    objects), by cell; follow-ups taken at their steady rate."""
    r = rates()
    act = sum(activity(config, d) for d in range(config.days))
    first, n = attack_days(config)
    wave_act = sum(activity(config, d) for d in range(first, first + n))
    attack = [c for c in signal_cells() if c.category == p.ATTACK_CATEGORY]
    attack_w = sum(c.weight for c in attack)
    extra = (p.ATTACK_MULTIPLIER - 1) * p.CATEGORY_SHARE[p.ATTACK_CATEGORY] * r.base_objects
    extra *= wave_act
    return (
        [(r.base_objects * act + r.followups * config.days, c) for c in signal_cells()]
        + [(r.base_objects * act, c) for c in sweep_cells()]
        + [(extra / attack_w, c) for c in attack]
    )


def _sum(cells: Weighted, f) -> float:
    return sum(w * c.weight * f(c) for w, c in cells)


def overturn(cells: Weighted, method: str | None = None) -> float:
    """P(reversed | appeal resolved as upheld/reversed/partially_reversed):
    violation decisions weighted, reversal depends on whether correct."""
    methods = METHODS if method is None else (method,)

    def num(c: Cell) -> float:
        return sum(
            c.joint(m, t, True) * p.REVERSAL_PROBABILITY[t] for m in methods for t in (True, False)
        )

    def den(c: Cell) -> float:
        return sum(c.joint(m, t, True) for m in methods for t in (True, False))

    return _sum(cells, num) / _sum(cells, den)


def accuracy(cells: Weighted, method: str) -> float:
    """P(QA agrees | decision by method): QA agrees with a correct decision
    w.p. QA_AGREE_IF_CORRECT, with a wrong one w.p. QA_AGREE_IF_WRONG."""

    def num(c: Cell) -> float:
        return sum(
            c.joint(method, t, v) * (p.QA_AGREE_IF_CORRECT if v == t else p.QA_AGREE_IF_WRONG)
            for t in (True, False)
            for v in (True, False)
        )

    def den(c: Cell) -> float:
        return sum(c.joint(method, t, v) for t in (True, False) for v in (True, False))

    return _sum(cells, num) / _sum(cells, den)


def prevalence() -> dict:
    by_surface = {}
    for s in SURFACES:
        high = p.HIGH_RISK_VIEW_SHARE[s]
        shares = {"high_risk": high, "low_risk": 1 - high}
        by_surface[s] = {
            "value": _r(sum(shares[h] * p.VIOLATION_RATE[s][h] for h in p.STRATA)),
            "strata": {
                h: {
                    "view_share": shares[h],
                    "violation_rate": p.VIOLATION_RATE[s][h],
                    "samples_per_day_at_scale_1": p.SAMPLES_PER_DAY[h],
                }
                for h in p.STRATA
            },
        }
    total = sum(p.VIEWS_PER_DAY.values())
    view_share = {s: p.VIEWS_PER_DAY[s] / total for s in SURFACES}
    overall = sum(view_share[s] * by_surface[s]["value"] for s in SURFACES)
    return {
        "prevalence_by_surface": {
            **by_surface,
            "notes": "Hajek estimand sum over strata of (stratum view share x violation "
            "rate). Strata per surface: high_risk / low_risk views; each day n_h = "
            "max(1, round(samples_per_day x scale)) views per stratum, inclusion "
            "probability n_h / stratum views of that day (unequal by design). "
            "Labels are constant over time (the attack wave does not change them).",
        },
        "prevalence_overall": {
            "value": _r(overall),
            "view_share": {s: _r(v) for s, v in view_share.items()},
            "by_category": {c: _r(overall * sh) for c, sh in p.CATEGORY_SHARE.items()},
            "notes": "Views-weighted: sum over surfaces of mean view share x surface "
            "prevalence (all surfaces share one weekly cycle, so shares are constant)."
            " A violating sample's category is drawn from the category shares.",
        },
    }


def tta(attack_free: Weighted) -> dict:
    out: dict = {}
    for sev, (_, p90_target) in SEVERITY_TARGETS.items():
        cells = [(w, c) for w, c in attack_free if c.severity == sev and c.source != "sweep"]
        weight = {
            m: _sum(cells, lambda c, m=m: c.joint(m, True, True) + c.joint(m, False, True))
            for m in METHODS
        }
        total = sum(weight.values())
        dists = {"automated": p.AUTOMATED_DELAY, "human": p.HUMAN_DELAY[sev]}
        parts = [(weight[m] / total, dists[m].median_hours, dists[m].sigma) for m in METHODS]
        out[sev] = {
            "human": {
                "median_hours": dists["human"].median_hours,
                "mu": _r(math.log(dists["human"].median_hours)),
                "sigma": dists["human"].sigma,
            },
            "automated": {
                "median_hours": p.AUTOMATED_DELAY.median_hours,
                "mu": _r(math.log(p.AUTOMATED_DELAY.median_hours)),
                "sigma": p.AUTOMATED_DELAY.sigma,
            },
            "automated_share": _r(weight["automated"] / total),
            "expected_p50_hours": _r(mixture_quantile(parts, 0.5)),
            "expected_p90_hours": _r(mixture_quantile(parts, 0.9)),
            "target_p90_hours": p90_target,
            "expected_within_p90_target_rate": _r(
                sum(w * lognormal_cdf(p90_target, m, s) for w, m, s in parts)
            ),
        }
    out["notes"] = (
        "Duration first signal -> decision is log-normal (mu = ln median hours, sigma); "
        "automated decisions share one short log-normal. The population (signalled objects "
        "decided as violations) mixes the two by the automated_share of violation decisions "
        "of that severity; quantiles and the within-target rate are of that mixture. Valid "
        "for decision weeks outside the attack wave (human delays x "
        f"{p.ATTACK_HUMAN_DELAY_MULTIPLIER} for objects first signalled in the wave, which "
        "spills into the next week) and in steady state: the first ~4 weeks lack the long "
        "delays of objects signalled before the start (low-severity tails reach weeks) and "
        "the last days lack decisions after the export cut-off. The low-severity p50 sits "
        "between the two components, where the mixture CDF is flat, so its sample value is "
        "noisy; the within-target rate is the robust check."
    )
    return out


def _confirmed(c: Cell) -> float:
    """P(violation decision not reversed on appeal) for one object of `c`."""
    return sum(
        c.joint(m, t, True)
        * (1 - p.APPEAL_PROBABILITY * (1 - p.WITHDRAW_PROBABILITY) * p.REVERSAL_PROBABILITY[t])
        for m in METHODS
        for t in (True, False)
    )


def _violation(c: Cell) -> float:
    return sum(c.joint(m, t, True) for m in METHODS for t in (True, False))


def account_linking(confirm: float, recurrence: dict[int, float]) -> dict:
    """Expected values of the account-linking metrics (linking.py)."""
    r = rates()
    e, mu = p.EVADE_PROBABILITY, p.EVADE_MEAN_DAYS
    linked = e * (1 - p.EVADE_LINK_SHARE["crowded"])
    reports = [c for c in signal_cells() if c.source.startswith("report:")]
    # fresh accounts per base object whose first object is an account
    # action (a violation decision on the account itself), and evaders
    actions = p.ACCOUNT_OBJECT_SHARE * sum(c.weight * _violation(c) for c in reports)
    confirmed_actions = p.ACCOUNT_OBJECT_SHARE * sum(c.weight * _confirmed(c) for c in reports)
    evaders = e * actions
    v = sum(c.weight * _violation(c) for c in signal_cells())
    share = p.SIGNAL_ACCOUNT_SHARE
    sweep_confirm = sum(c.weight * _confirmed(c) for c in sweep_cells()) / p.SWEEP_RATE
    base, sweeps, newcomers = r.base_objects, r.sweeps, p.NEWCOMERS_PER_DAY
    # an account first gets signals with its first violation decision (share
    # `share`), else possibly with a follow-up's (w.p. q x v x share), which
    # then behaves w.p. c
    q = p.REOFFEND_PROBABILITY
    late = (1 - share) * q * share
    new_accounts = (
        base * (share * v + late * v + evaders * (1 - share * v - late * v))
        + sweeps * (share + late * v)
        + newcomers
    )
    behaving = base * (
        share * confirm + late * confirm + evaders * (1 - share - late) * confirm
    ) + sweeps * (share * sweep_confirm + late * confirm)
    base_share = behaving / new_accounts
    # offender account-weeks whose t0 is a confirmed account action with a
    # linked evader: their entity re-offends when the evader behaves in time
    offenders = base * confirm + r.followups * confirm + sweeps * sweep_confirm
    action_share = base * confirmed_actions / offenders
    out: dict = {}
    for days in (30, 90):
        evade = linked * confirm * (1 - math.exp(-days / mu))
        out[f"ban_evasion_rate_{days}d"] = {"value": _r(evade)}
        out[f"entity_recurrence_rate_{days}d"] = {
            "value": _r(recurrence[days] + action_share * evade * (1 - recurrence[days])),
            "account_level": _r(recurrence[days]),
        }
    out["linked_account_precision"] = {
        "value": _r(confirm),
        "by_signal_type": {t: _r(confirm) for t in ("device", "email", "payment")},
    }
    out["signal_lift"] = {
        "value": _r(confirm / base_share),
        "base_share": _r(base_share),
        "new_account_share_violating": _r(base * share * v / new_accounts),
    }
    out["evasion"] = {
        "probability": e,
        "mean_delay_days": mu,
        "link_share": p.EVADE_LINK_SHARE,
        "newcomers_per_day_at_scale_1": newcomers,
    }
    out["notes"] = (
        "Each violation decision on an account object of a non-attack account (an account "
        "action) brings, w.p. evasion.probability, an evader: the next fresh account signalled "
        "Exp(mean_delay_days) later, sharing one identity value with it (crowded link_share: "
        "only a public device, which links nobody). ban_evasion_rate_N = p x (1 - crowded) x c "
        "x (1 - exp(-N / mean)), c = the confirm probability of a signalled object (the "
        "evader's first object). A flagged new account is an evader whose banned account's "
        "action was confirmed; it behaves w.p. c (linked_account_precision, every type). "
        "signal_lift = c / base_share, base_share = behaving new accounts / new accounts per "
        "day in steady state: violating fresh accounts with signals (share "
        f"{p.SIGNAL_ACCOUNT_SHARE}, or first with a follow-up), evaders, sweep accounts and "
        "newcomers (never behaving); approximate: it leaves out pre-start accounts first seen "
        "at a follow-up (fading over the first weeks). "
        "entity_recurrence_rate_N ~ recurrence_rate_N "
        "+ (share of offenders whose t0 is a confirmed account action) x ban_evasion_rate_N x "
        "(1 - recurrence_rate_N): the evader's behaviour makes its entity re-offend "
        "(approximate: entity weeks that merge two accounts' weeks are not modelled). "
        "recurrence_rate_* v2 equals v1 here: account actions are only ever an account's "
        "first object, so the generator makes no escalations. Attack-wave accounts share "
        "devices and IPs below the crowding limit and form linked clusters: leave their weeks "
        "out."
    )
    return out


def parameters(config: GeneratorConfig) -> dict:
    steady = steady_cells()
    every = all_period_cells(config)
    r = rates()
    confirm = sum(
        c.weight
        * c.joint(m, t, True)
        * (1 - p.APPEAL_PROBABILITY * (1 - p.WITHDRAW_PROBABILITY) * p.REVERSAL_PROBABILITY[t])
        for c in signal_cells()
        for m in METHODS
        for t in (True, False)
    )
    q, mu = p.REOFFEND_PROBABILITY, p.REOFFEND_MEAN_DAYS
    appeal_window = lognormal_cdf(
        p.APPEAL_WINDOW_DAYS * 24, p.APPEAL_DELAY.median_hours, p.APPEAL_DELAY.sigma
    )
    wave = attack_window(config)
    first, n = attack_days(config)
    recurrence = {days: q * confirm * (1 - math.exp(-days / mu)) for days in (30, 90)}
    return {
        **prevalence(),
        "overturn_probability": {
            "value": _r(overturn(steady)),
            "incl_partial": _r(overturn(steady) + p.PARTIAL_PROBABILITY),
            "by_decision_method": {m: _r(overturn(steady, m)) for m in METHODS},
            "expected_all_period": _r(overturn(every)),
            "reversal_probability_if_correct": p.REVERSAL_PROBABILITY[True],
            "reversal_probability_if_wrong": p.REVERSAL_PROBABILITY[False],
            "notes": "P(reversed | resolved upheld/reversed/partially_reversed) = "
            "sum over violation decisions of P(correct) x 0.10 + P(wrong) x 0.55, "
            "weighted by the steady-state decision mix outside the attack wave "
            "(expected_all_period: incl. the wave's extra objects). incl_partial "
            "adds partial_reversal_probability.",
        },
        "partial_reversal_probability": {
            "value": p.PARTIAL_PROBABILITY,
            "notes": "P(partially_reversed | resolved upheld/reversed/partially_reversed).",
        },
        "appeal_probability": {
            "value": p.APPEAL_PROBABILITY,
            "expected_appeal_rate_30d": _r(p.APPEAL_PROBABILITY * appeal_window),
            "appeal_delay": {
                "median_hours": p.APPEAL_DELAY.median_hours,
                "sigma": p.APPEAL_DELAY.sigma,
            },
            "notes": "Each violation decision is appealed w.p. value, after a log-normal "
            "delay; appeal_rate (30-day window) = value x P(delay <= 30 d).",
        },
        "withdraw_probability": {
            "value": p.WITHDRAW_PROBABILITY,
            "notes": "P(withdrawn | appeal); withdrawn appeals have no resolution_method.",
        },
        "reoffence": {
            "q": q,
            "mean_delay_days": mu,
            "confirm_probability": _r(confirm),
            "expected_rate_30d": _r(q * confirm * (1 - math.exp(-30 / mu))),
            "expected_rate_90d": _r(q * confirm * (1 - math.exp(-90 / mu))),
            "notes": "After each violation decision the account, w.p. q, brings one new "
            "flagged object (a different content object, drawn like any signalled "
            "object) whose first signal is t0 + Exp(mean_delay_days). It becomes a "
            "confirmed violation w.p. confirm_probability = P(violation decision) "
            "x (1 - P(appealed, not withdrawn, reversed)). Every other object has a "
            "fresh account, so an account has one chain and expected rate_N = q x c x "
            "(1 - exp(-N / mean)). Remaining confounders: decisions / appeal "
            "resolutions after data_end (weeks near the end), and attack-wave "
            "accounts, which never re-offend (offender weeks of the wave).",
        },
        "account_linking": account_linking(confirm, recurrence),
        "detector_precision": {
            **{
                c.source: {
                    "value": _r(sum(c.joint(m, t, True) for m in METHODS for t in (True, False))),
                    "flagged_share_truly_violating": c.p_true,
                    "automated_share": c.p_automated,
                    "category": c.category,
                }
                for c in signal_cells()
                if c.detector
            },
            "notes": "Each flagged object has one flag (its first signal) and one decision "
            "after it: value = sum over methods of P(method | detector) x "
            "[P(truly violating | flagged) x sensitivity + (1 - P(truly violating | "
            f"flagged)) x false-positive rate]; sensitivity {p.SENSITIVITY}, "
            f"false-positive rate {p.FALSE_POSITIVE_RATE}. Not affected by the wave.",
        },
        "tta": tta(steady),
        "enforcement_accuracy": {
            **{
                m: {"value": _r(accuracy(steady, m)), "expected_all_period": _r(accuracy(every, m))}
                for m in METHODS
            },
            "notes": "QA reviews a uniform 3% sample of decisions; agrees w.p. "
            f"{p.QA_AGREE_IF_CORRECT} when the decision is correct (matches truth), "
            f"{p.QA_AGREE_IF_WRONG} when wrong. value: steady-state decision mix "
            "outside the wave; expected_all_period: incl. the wave's extra objects.",
        },
        "report_rate_per_1k_dau": {
            "value": _r(7 * p.REPORTS_PER_DAY / p.ACTIVE_USERS * 1000),
            "notes": "Expected reports per week / mean daily active users x 1000 outside the "
            "attack wave: 7 x 1000 reports a day per 400,000 users (both x scale; "
            "weekly cycles have mean 1). Wave weeks have more reports.",
        },
        "attack_wave": {
            "start": iso(wave.start),
            "end": iso(wave.end),
            "first_day": date.fromordinal(config.start_date.toordinal() + first).isoformat(),
            "days": n,
            "category": p.ATTACK_CATEGORY,
            "multiplier": p.ATTACK_MULTIPLIER,
            "human_delay_multiplier": p.ATTACK_HUMAN_DELAY_MULTIPLIER,
            "notes": "Objects first signalled in [start, end): the category's volume is x "
            "multiplier (extra objects of new throwaway accounts sharing devices / "
            "IPs in account_signals; they never re-offend) and every human review "
            "delay is x human_delay_multiplier.",
        },
        "volume_per_day_at_scale_1": {
            "base_objects": _r(r.base_objects),
            "followup_objects": _r(r.followups),
            "sweep_decisions": _r(r.sweeps),
            "reports": r.reports,
            "violation_decision_share": _r(r.violation_share),
        },
    }


def build_truth(config: GeneratorConfig, acc: Accounting) -> dict:
    return {
        "config": config.as_dict(),
        "data_end": iso(acc.data_end),
        "raw_rows": acc.raw_rows,
        "superseded_rows": acc.superseded_rows,
        "bad_rows": acc.bad_rows,
        "expected_staged_rows": acc.expected_staged_rows(),
        "offset_rows": acc.offset_rows,
        "files": acc.files,
        "parameters": parameters(config),
    }
