"""``xhht indicators --unit CODE --from YEAR --to YEAR [--programme ID] --format table|csv|json|xlsx [--out FILE]``"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xhht.indicators.catalogue import catalogue
from xhht.indicators.exports import appendix_csv, appendix_json, appendix_text, appendix_xlsx
from xhht.indicators.selectors import IndicatorQueryError, appendix_build, appendix_years_check
from xhht.units.models import Unit


def _year(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise CommandError(f"Năm «{text}» không hợp lệ: ghi 4 chữ số, ví dụ 2016.") from None


class Command(BaseCommand):
    help = "Bảng chỉ tiêu (phụ lục) của một đơn vị: số lượng, tỷ lệ từng năm, giai đoạn, dự kiến."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", default="", help="mã đơn vị, ví dụ 051 (huyện Hòa An)")
        parser.add_argument("--from", dest="year_from", help="năm đầu, ví dụ 2016 (mặc định: theo chương trình)")
        parser.add_argument("--to", dest="year_to", help="năm cuối, ví dụ 2020 (mặc định: theo chương trình)")
        parser.add_argument("--programme", default="qd89-2012-2020", help="mã chương trình (mặc định qd89-2012-2020)")
        parser.add_argument("--format", default="table", choices=["table", "csv", "json", "xlsx"])
        parser.add_argument("--out", help="ghi ra tệp (bắt buộc với xlsx)")
        parser.add_argument("--on", help="đọc số liệu các năm trên địa giới ngày YYYY-MM-DD (mặc định: cuối mỗi năm)")
        parser.add_argument("--propose", action="store_true", help="đề xuất dự kiến theo xu hướng khi đơn vị chưa nhập")

    def handle(self, *args: Any, **opts: Any) -> None:
        if not opts["unit"].strip():
            raise CommandError("Cần --unit MÃ_ĐƠN_VỊ, ví dụ --unit 051 (huyện Hòa An).")
        unit = Unit.objects.filter(code=opts["unit"].strip()).first()
        if unit is None:
            raise CommandError(f"Không có đơn vị mã «{opts['unit']}». Xem danh sách đơn vị trên trang Đơn vị.")
        cat = catalogue()
        if opts["programme"] not in cat.programmes:
            raise CommandError(f"Không có chương trình «{opts['programme']}». Có: {', '.join(sorted(cat.programmes))}.")
        default_from, default_to = cat.programmes[opts["programme"]].default_years
        year_from = _year(opts["year_from"]) if opts["year_from"] is not None else default_from
        year_to = _year(opts["year_to"]) if opts["year_to"] is not None else default_to
        on = None
        if opts.get("on"):
            try:
                on = date.fromisoformat(opts["on"])
            except ValueError:
                raise CommandError(f"ngày «{opts['on']}» không hợp lệ; viết theo dạng YYYY-MM-DD (ví dụ 2025-07-01).") from None
        try:
            appendix_years_check(year_from=year_from, year_to=year_to)
            appendix = appendix_build(unit=unit, programme=opts["programme"], years=range(year_from, year_to + 1),
                                      propose_projections=opts["propose"], on=on)
        except IndicatorQueryError as exc:
            raise CommandError(str(exc)) from None
        fmt, out = opts["format"], opts.get("out")
        if fmt == "xlsx":
            if not out:
                raise CommandError("Định dạng xlsx cần --out TỆP, ví dụ --out phu-luc.xlsx.")
            Path(out).write_bytes(appendix_xlsx(appendix))
            self.stdout.write(f"Đã ghi {out}")
            return
        text = {"table": appendix_text, "csv": appendix_csv, "json": appendix_json}[fmt](appendix)
        if out:
            Path(out).write_text(text, encoding="utf-8")
            self.stdout.write(f"Đã ghi {out}")
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
