"""``xhht report --unit CODE --period P [--kind K] --out DIR``: the .docx, .xlsx and .pdf of a report."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from xhht.official_reports.catalogue import report_kinds
from xhht.official_reports.models import Report
from xhht.official_reports.pdf import PdfUnavailable
from xhht.official_reports.services import ReportError, report_for_cli, report_generate, report_issue
from xhht.units.models import Unit

STEPS = 5


class Command(BaseCommand):
    help = "Tạo báo cáo chính thức (.docx theo Nghị định 30/2020/NĐ-CP, phụ lục .xlsx, .pdf) của một đơn vị cho một kỳ."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="mã đơn vị, ví dụ 051")
        parser.add_argument("--period", required=True, help="kỳ: 2019, 2019-H1, 2019-2020, 2016-2020")
        parser.add_argument("--kind", help=f"loại báo cáo: {', '.join(sorted(report_kinds()))} (mặc định theo kỳ)")
        parser.add_argument("--out", required=True, help="thư mục ghi tệp")
        parser.add_argument("--report", type=int, help="số hiệu (id) của một báo cáo cụ thể đã soạn trên web")
        parser.add_argument("--on", help="đọc số liệu của kỳ trên địa giới ngày YYYY-MM-DD (mặc định: địa giới của kỳ)")
        parser.add_argument("--no-pdf", action="store_true", help="không tạo .pdf")
        parser.add_argument("--issue", action="store_true", help="lưu thành một phiên bản đã tạo (giữ tệp, người tạo, số liệu đã dùng)")
        parser.add_argument("--gap-reason", default="", help="lý do phát hành khi còn báo cáo đầu vào chưa nộp hoặc chưa duyệt (bắt buộc khi đó)")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"Không có đơn vị mã «{options['unit']}».")
        on = None
        if options.get("on"):
            try:
                on = date.fromisoformat(options["on"])
            except ValueError:
                raise CommandError(f"ngày «{options['on']}» không hợp lệ; viết theo dạng YYYY-MM-DD (ví dụ 2025-07-01).") from None
        try:
            if options["report"]:
                report = Report.objects.filter(pk=options["report"], unit=unit).first()
                if report is None:
                    raise CommandError(f"Không có báo cáo số hiệu {options['report']} của đơn vị {unit.code}.")
            else:
                report = report_for_cli(actor=None, unit=unit, period=options["period"], kind=options["kind"], on=on)
            out = Path(options["out"])
            with tqdm(total=STEPS, desc="Tạo báo cáo", unit="bước", disable=options["verbosity"] == 0) as bar:
                def step(name: str) -> None:
                    bar.set_postfix_str(name)
                    bar.update(1)
                files = report_generate(report=report, out_dir=out, pdf=not options["no_pdf"], progress=step, on=on)
                if options["issue"]:
                    issued = report_issue(actor=None, report=report, pdf=not options["no_pdf"], gap_reason=options["gap_reason"])
        except (ReportError, PdfUnavailable) as exc:
            raise CommandError(str(exc)) from exc
        for path in (files.docx, files.xlsx, files.pdf):
            if path is not None:
                self.stdout.write(str(path))
        if options["issue"]:
            self.stdout.write(self.style.SUCCESS(f"Đã lưu phiên bản {issued.version} của báo cáo số {report.number}."))
