"""``xhht learning_models check-rubrics [FILE …]`` and ``xhht learning_models table --unit CODE --years 2017-2019``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xhht.core.formatting import format_percent
from xhht.learning_models.rubrics import RubricError, load_rubric_file, load_rubrics
from xhht.learning_models.selectors import commune_classification_table
from xhht.units.models import Unit


class Command(BaseCommand):
    help = "Bộ tiêu chí mô hình học tập: kiểm tra tệp; bảng xếp loại Cộng đồng học tập cấp xã."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check-rubrics", help="kiểm tra các tệp bộ tiêu chí (mặc định: catalogue/rubrics)")
        check.add_argument("files", nargs="*")
        table = sub.add_parser("table", help="bảng xếp loại các xã theo năm")
        table.add_argument("--unit", required=True)
        table.add_argument("--years", required=True, help="2017-2019 hoặc 2019")
        table.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "check-rubrics":
            try:
                if options["files"]:
                    rubrics = [load_rubric_file(Path(f)) for f in options["files"]]
                else:
                    rubrics = list(load_rubrics().values())
            except (RubricError, OSError) as exc:
                raise CommandError(str(exc)) from exc
            for rubric in rubrics:
                flag = f" — chưa xác minh: {'; '.join(rubric.unverified)}" if rubric.unverified else ""
                self.stdout.write(f"{rubric.path}: {rubric.code} v{rubric.version}, {rubric.subject_label}, {rubric.years_label}, "
                                  f"{len(rubric.indicators)} chỉ tiêu{flag}")
            return
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"Không có đơn vị {options['unit']}.")
        first, _, last = options["years"].partition("-")
        try:
            years = list(range(int(first), int(last or first) + 1))
        except ValueError as exc:
            raise CommandError("--years: 2017-2019 hoặc 2019") from exc
        rows = commune_classification_table(unit=unit, years=years)
        if options["format"] == "json":
            out = [{"year": r.year, "rubric": r.rubric.code if r.rubric else None, "communes": r.communes, "evaluated": r.evaluated,
                    "counts": r.counts, "note": r.note} for r in rows]
            self.stdout.write(json.dumps({"unit": unit.code, "rows": out}, ensure_ascii=False, indent=1))
            return
        for r in rows:
            cells = ", ".join(f"{r.labels[c]} {n} ({format_percent(r.rates[c])})" for c, n in r.counts.items())
            self.stdout.write(f"{r.year} [{r.rubric.document_number if r.rubric else '—'}] {r.communes} xã: {cells} {r.note}".rstrip())
