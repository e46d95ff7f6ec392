"""The recognition rules as pure functions over counts: no database, so every threshold is testable by hand.

Rates are compared exactly: ``numerator / denominator >= threshold`` as integers and Decimals, never floats,
never rounded first ("ít nhất 90%": 89,99% fails, 90,00% passes).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from xhht.literacy.catalogue import RECOGNITIONS, Criterion, Level, Rules

Figures = Mapping[tuple[str, int, int], int]


def meets(numerator: int, denominator: int, threshold: Decimal) -> bool:
    """numerator/denominator >= threshold, exactly."""
    return Decimal(numerator) >= threshold * Decimal(denominator)


@dataclass(frozen=True)
class Check:
    """One criterion of one level as applied to a unit: what was counted and whether it passed."""

    recognition: str
    level: int
    label: str
    numerator: int | None
    denominator: int | None
    threshold: Decimal | None
    passed: bool
    note: str = ""


def criterion_counts(criterion: Criterion, figures: Figures, special_difficulty: bool) -> tuple[int, int, tuple[int, int], Decimal | None]:
    ages, threshold = criterion.for_commune(special_difficulty)
    numerator = sum(figures.get((column, ages[0], ages[1]), 0) for column in criterion.numerator)
    denominator = figures.get((criterion.denominator, ages[0], ages[1]), 0)
    return numerator, denominator, ages, threshold


def criterion_passes(criterion: Criterion, figures: Figures, special_difficulty: bool) -> bool:
    """A criterion whose threshold could not be verified (null) is not checked from the records.

    An age group with nobody in it cannot fail (there is nobody to universalise).
    """
    numerator, denominator, _, threshold = criterion_counts(criterion, figures, special_difficulty)
    if threshold is None or denominator == 0:
        return True
    return meets(numerator, denominator, threshold)


def commune_levels(rules: Rules, figures: Figures, *, special_difficulty: bool, attested: Mapping[str, int] | None,
                   has_records: bool = True, with_checks: bool = True) -> tuple[dict[str, int], list[Check]]:
    """Highest level met of each recognition by a commune, and the checks behind it (none without ``with_checks``:
    a nation's 10,000 communes read as children need only their levels)."""
    attested = attested or {}
    results: dict[str, int] = {}
    checks: list[Check] = []

    def level_of(name: str) -> int:
        if name in results:
            return results[name]
        met = 0
        for lv in rules.recognitions[name]:
            ok = has_records
            for criterion in lv.criteria:
                numerator, denominator, ages, threshold = criterion_counts(criterion, figures, special_difficulty)
                # As criterion_passes: an unverified threshold is not checked; an empty age group cannot fail.
                passed = threshold is None or denominator == 0 or meets(numerator, denominator, threshold)
                if with_checks:
                    columns = "+".join(criterion.numerator)
                    checks.append(Check(name, lv.level, f"{columns} {ages[0]}-{ages[1]}", numerator, denominator, threshold, passed, criterion.note))
                ok = ok and passed
            for other, needed in lv.requires:
                ok = ok and level_of(other) >= needed
            if rules.attestation_required:
                ok = ok and attested.get(name, 0) >= lv.level
            if not ok:
                break
            met = lv.level
        results[name] = met
        return met

    for name in RECOGNITIONS:
        level_of(name)
    return {name: results[name] for name in RECOGNITIONS}, checks


def share_level(levels: Sequence[Level], child_levels: Sequence[int], *, of: str, attested: int | None,
                attestation_required: bool, shares: Mapping[int, Decimal | None] | None = None) -> tuple[int, dict[int, tuple[int, int]]]:
    """Highest level met by a district (``of="communes"``) or province (``of="districts"``) from its children's levels.

    ``shares`` (level -> share, None where unverified) replaces the catalogue's: a province of communes after
    the 2025 reform is judged by the shares of ``authorities.yaml`` (:mod:`xhht.literacy.authorities`).
    Returns the level and, per level, (children meeting it, children).
    """
    counts: dict[int, tuple[int, int]] = {}
    total = len(child_levels)
    met = 0
    for lv in levels:
        share = lv.district_share if of == "communes" else lv.province_share
        if shares is not None:
            share = shares.get(lv.level)
        reached = sum(1 for c in child_levels if c >= lv.level)
        counts[lv.level] = (reached, total)
        ok = total > 0 and (share is None or meets(reached, total, share))
        if attestation_required:
            ok = ok and (attested or 0) >= lv.level
        if not ok:
            break
        met = lv.level
    for lv in levels:
        counts.setdefault(lv.level, (sum(1 for c in child_levels if c >= lv.level), total))
    return met, counts
