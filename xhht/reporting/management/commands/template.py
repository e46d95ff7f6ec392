"""``xhht template --form F --unit CODE --period P --out FILE.xlsx``: an Excel template to fill."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xhht.indicators.periods import parse_period
from xhht.reporting.catalogue import get_catalogue
from xhht.reporting.excel import template_workbook
from xhht.organisations.models import Organisation
from xhht.reporting.selectors import Reporter, expected_reporters, form_reports_for, reporter_from_token


class Command(BaseCommand):
    help = "Tạo mẫu Excel của một biểu báo cáo cho một đơn vị (hoặc mọi đơn vị báo cáo dưới một huyện, với --all) và một kỳ."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--form", required=True, help="mã biểu, ví dụ commune")
        parser.add_argument("--unit", required=True, help="mã đơn vị (05115); với biểu của cơ quan: mã đơn vị của cơ quan (051) hoặc tc-<số>")
        parser.add_argument("--period", required=True, help="kỳ: 2020, 2020-H1, 2019-2020")
        parser.add_argument("--out", required=True, help="tệp .xlsx sẽ ghi")
        parser.add_argument("--all", action="store_true", help="một trang tính cho mỗi đơn vị báo cáo dưới --unit")

    def handle(self, *args: Any, **options: Any) -> None:
        catalogue = get_catalogue()
        form = catalogue.form(options["form"])
        if form is None:
            raise CommandError(f"Không có biểu «{options['form']}». Các biểu: {', '.join(sorted(catalogue.forms))}.")
        try:
            period = parse_period(options["period"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if not form.accepts_period_kind(period.kind):
            raise CommandError(f"Biểu «{form.code}» không báo cáo theo kỳ {period.code}.")
        reporter = reporter_from_token(options["unit"])
        if reporter is None:
            raise CommandError(f"Không có đơn vị «{options['unit']}».")
        if options["all"]:
            reporters = [r for r in expected_reporters(form=form, unit=reporter.unit, period=period) if not (r.organisation is None and r.unit == reporter.unit)]
        else:
            if form.by_organisation and reporter.organisation is None:
                # "--unit 051" for an office's form: the unit's one organisation of that kind.
                orgs = list(Organisation.objects.filter(unit=reporter.unit, kind__in=form.organisation_kinds))
                if len(orgs) == 1:
                    reporter = Reporter(reporter.unit, orgs[0])
            if not form_reports_for(form, reporter):
                raise CommandError(f"{reporter.name} không báo cáo theo biểu «{form.title}».")
            reporters = [reporter]
        if not reporters:
            raise CommandError("Không có đơn vị nào báo cáo theo biểu này.")
        out = Path(options["out"])
        out.write_bytes(template_workbook(form=form, reporters=reporters, period=period.code))
        self.stdout.write(f"Đã ghi {out} ({len(reporters)} trang tính).")
