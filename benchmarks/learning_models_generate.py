"""Data generator for the learning-model benchmarks: a synthetic country-sized province.

D districts × C communes (default 100 × 33 = 3.300 commune-level units, the size of Vietnam after 2025),
each with a reviewed commune evaluation for 2018 (TT 44, 17 indicator scores) and for 2024 (TT 25, 11
indicator scores), the 2024 ones recognised by one decision per district (so that 2025–2027 count the held
levels). Classes and levels are computed by the scoring engine from the generated indicator values.
Rows are bulk-inserted for speed — a generator, not an import path. Deterministic, idempotent.

    python benchmarks/learning_models_generate.py [--districts 100] [--communes 33]
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import province_tree_replace, setup  # noqa: E402

PROVINCE = "B8"
YEARS = (2018, 2024)


def values_for(rubric_code: str, rnd: random.Random) -> dict[str, Decimal]:
    from xhht.learning_models.rubrics import rubric_get

    rubric = rubric_get(rubric_code)
    out: dict[str, Decimal] = {}
    for ind in rubric.indicators:
        if ind.is_yes_no:
            out[ind.code] = Decimal(1 if rnd.random() < 0.93 else 0)
        else:
            out[ind.code] = Decimal(rnd.randint(4, 10))
    return out


def generate(*, districts: int = 100, communes: int = 33, seed: int = 2024) -> dict[str, int]:
    from django.db import transaction
    from tqdm import tqdm

    from xhht.indicators.models import DataValue
    from xhht.learning_models.models import Evaluation, IndicatorScore, Participant, Recognition, RecognitionEntry, Registration, Status
    from xhht.learning_models.rubrics import rubric_for
    from xhht.learning_models.scoring import score
    from xhht.units.models import Unit

    rnd = random.Random(seed)
    with transaction.atomic():
        codes = list(Unit.objects.filter(code__startswith=PROVINCE).values_list("code", flat=True))
        DataValue.objects.filter(unit_id__in=codes).delete()
        RecognitionEntry.objects.filter(recognition__unit_id__in=codes).delete()
        Recognition.objects.filter(unit_id__in=codes).delete()
        IndicatorScore.objects.filter(evaluation__registration__participant__commune_id__in=codes).delete()
        Evaluation.objects.filter(registration__participant__commune_id__in=codes).delete()
        Registration.objects.filter(participant__commune_id__in=codes).delete()
        Participant.objects.filter(commune_id__in=codes).delete()
        leaves = province_tree_replace(code=PROVINCE, name="Tỉnh thử mô hình học tập", districts=districts, communes=communes,
                                       district_digits=3)
        participants = Participant.objects.bulk_create([Participant(kind="commune_community", commune_id=c, name=f"Xã {c}") for c in leaves])
        registrations = Registration.objects.bulk_create([Registration(participant=p, year=y, registered_on=date(y, 1, 10))
                                                          for p in participants for y in YEARS])
        evaluations, scores_by_eval = [], []
        for reg in tqdm(registrations, desc="Chấm điểm", unit="đánh giá"):
            rubric = rubric_for(subject="commune_community", year=reg.year)
            assert rubric is not None
            values = values_for(rubric.code, rnd)
            result = score(rubric, values)
            evaluations.append(Evaluation(registration=reg, rubric_code=rubric.code, rubric_version=rubric.version, status=Status.REVIEWED,
                                          self_total=result.total, self_outcome=result.outcome or "", total=result.total, outcome=result.outcome or ""))
            scores_by_eval.append(values)
        evaluations = Evaluation.objects.bulk_create(evaluations, batch_size=2000)
        rows = [IndicatorScore(evaluation=ev, indicator=code, self_value=v) for ev, values in zip(evaluations, scores_by_eval, strict=True)
                for code, v in values.items()]
        IndicatorScore.objects.bulk_create(rows, batch_size=5000)
        recognitions = {}
        for d in range(1, districts + 1):
            dcode = f"{PROVINCE}{d:03d}"
            recognitions[dcode] = Recognition.objects.create(unit_id=dcode, kind="commune_community", year=2024, number=f"{d}/QĐ-PGDĐT",
                                                             decided_on=date(2025, 3, 20), signer="Trưởng phòng")
        entries = []
        for ev in evaluations:
            reg = ev.registration
            if reg.year == 2024 and ev.outcome in ("muc_1", "muc_2"):
                entries.append(RecognitionEntry(recognition=recognitions[reg.participant.commune_id[:5]], evaluation=ev, outcome=ev.outcome,
                                                outcome_label=ev.outcome))
        RecognitionEntry.objects.bulk_create(entries, batch_size=5000)
        Evaluation.objects.filter(pk__in=[e.evaluation.pk for e in entries]).update(status=Status.RECOGNISED)
    return {"communes": len(leaves), "evaluations": len(evaluations), "scores": len(rows), "recognised": len(entries)}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--districts", type=int, default=100)
    parser.add_argument("--communes", type=int, default=33)
    args = parser.parse_args()
    setup()
    print(generate(districts=args.districts, communes=args.communes))


if __name__ == "__main__":
    main()
