"""``xhht completeness --unit CODE --period P``: who has reported, on time or late, and who to remind."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xhht.core.formatting import format_rate
from xhht.indicators.periods import parse_period
from xhht.reporting.selectors import completeness
from xhht.units.models import Unit


class Command(BaseCommand):
    help = "Tình hình nộp báo cáo định kỳ của các đơn vị dưới một đơn vị, cho một kỳ."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True)
        parser.add_argument("--period", required=True)
        parser.add_argument("--form", action="append", help="chỉ biểu này (có thể lặp lại)")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"Không có đơn vị «{options['unit']}».")
        try:
            period = parse_period(options["period"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        result = completeness(unit=unit, period=period, form_codes=options["form"])
        if options["format"] == "json":
            self.stdout.write(json.dumps({
                "unit": unit.code, "period": period.code, "expected": result.expected, "on_time": result.on_time, "late": result.late,
                "not_submitted": result.not_submitted,
                "rows": [{"form": r.form.code, "reporter": r.reporter.token, "name": r.reporter.name, "due": r.due.isoformat(),
                          "status": r.submission.status if r.submission else None, "timeliness": r.timeliness, "days_late": r.days_late,
                          "contacts": [c.__dict__ for c in r.contacts]} for r in result.rows],
            }, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{unit.title_name} · {period.label}: phải nộp {result.expected}, đúng hạn {result.on_time}"
                          f" ({format_rate(result.on_time, result.expected) or '—'}), muộn {result.late}, chưa nộp {result.not_submitted}.")
        for row in result.rows:
            self.stdout.write(f"  {row.form.code:<28} {row.reporter.name:<55} {row.status_label:<20} {row.timeliness_label}")
        if result.reminders:
            self.stdout.write("Cần nhắc:")
            for row in result.reminders:
                contacts = "; ".join(" · ".join(x for x in (c.name, c.phone, c.email) if x) for c in row.contacts) or "chưa có tài khoản cán bộ"
                self.stdout.write(f"  {row.reporter.name} ({row.form.code}): {contacts}")
