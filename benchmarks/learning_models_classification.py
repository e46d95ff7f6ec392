"""Benchmark: the learning-community results of a country-sized province (3.300 communes).

    XHHT_DATA_DIR=/tmp/xhht-bench-lm python benchmarks/learning_models_classification.py                # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xhht_learning_models_bench python benchmarks/learning_models_classification.py

Generates the data (benchmarks/learning_models_generate.py), then times (best of 5): the scoring engine
(evaluations per second), the classification table of the whole province for a TT 44 year (2018) and for
a TT 25 year whose levels are held from 2024 (2026), the same for one district, the full cycle of one
commune through the services (self-evaluation of 17 indicators, submit, review), and publishing one
district's results into the indicator store.
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import learning_models_generate as gen  # noqa: E402
from common import best_of  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark of the learning-model results.")
    parser.add_argument("--districts", type=int, default=100)
    parser.add_argument("--communes", type=int, default=33)
    args = parser.parse_args()
    gen.setup()
    from django.db import connection

    from xhht.learning_models.models import ModelKind
    from xhht.learning_models.rubrics import rubric_get
    from xhht.learning_models.scoring import score
    from xhht.learning_models.selectors import commune_classification_table
    from xhht.learning_models.services import (
        evaluation_review,
        evaluation_self_score,
        evaluation_submit,
        learning_results_publish,
        participant_register,
    )
    from xhht.units.models import Unit

    start = time.perf_counter()
    counts = gen.generate(districts=args.districts, communes=args.communes)
    generated = time.perf_counter() - start
    province = Unit.objects.get(code=gen.PROVINCE)
    district = Unit.objects.get(code=f"{gen.PROVINCE}001")

    rnd = random.Random(1)
    tt44 = rubric_get("tt44-2014")
    samples = [gen.values_for("tt44-2014", rnd) for _ in range(2000)]
    t_engine, _ = best_of(lambda: [score(tt44, v) for v in samples], runs=3)

    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        commune_classification_table(unit=province, years=[2018])
    t_prov_2018, rows_2018 = best_of(lambda: commune_classification_table(unit=province, years=[2018]))
    t_prov_2026, rows_2026 = best_of(lambda: commune_classification_table(unit=province, years=[2026]))
    t_dist, _ = best_of(lambda: commune_classification_table(unit=district, years=[2018, 2024, 2025, 2026]))

    commune = Unit.objects.get(code=f"{gen.PROVINCE}00101")
    values = {k: str(v) for k, v in gen.values_for("tt44-2014", rnd).items()}

    def cycle(year: list[int] = [2030 - 100]) -> Any:  # noqa: B006 — a run counter, on purpose
        year[0] += 1  # a fresh TT 44 year each run (1931… are outside TT 44: use 2015–2023 cyclically)
        y = 2015 + (year[0] % 9)
        from xhht.learning_models.models import Evaluation

        Evaluation.objects.filter(registration__participant__commune=commune, registration__year=y).delete()
        reg = participant_register(actor=None, kind=ModelKind.COMMUNE, commune=commune, name=commune.full_name, year=y)
        ev = evaluation_self_score(actor=None, participant=reg.participant, year=y, values=values)
        ev = evaluation_submit(actor=None, evaluation=ev)
        return evaluation_review(actor=None, evaluation=ev, changes={"c1": ("0", "benchmark")})

    t_cycle, _ = best_of(cycle)
    t_publish, changed = best_of(lambda: learning_results_publish(actor=None, unit=district, year=2024), runs=3)

    r18, r26 = rows_2018[0], rows_2026[0]
    print(f"machine: {platform.processor() or platform.machine()}, {connection.vendor}, date {date.today().isoformat()}")
    print(f"generated {counts} in {generated:.1f} s")
    print(f"scoring engine (TT 44, 17 indicators): {len(samples) / t_engine:,.0f} evaluations/s")
    print(f"province table 2018 ({r18.communes} communes, {len(queries)} queries): {t_prov_2018 * 1000:.0f} ms — {r18.counts}")
    print(f"province table 2026 (TT 25 levels held from 2024): {t_prov_2026 * 1000:.0f} ms — {r26.counts}")
    print(f"district table, 4 years: {t_dist * 1000:.1f} ms")
    print(f"one commune: register + self-evaluate 17 indicators + submit + review: {t_cycle * 1000:.0f} ms")
    print(f"publish one district ({args.communes} communes) to the indicator store: {t_publish * 1000:.0f} ms")


if __name__ == "__main__":
    main()
