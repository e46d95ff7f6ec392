"""The Hòa An phase-summary report 2016–2020, with the header of the seed (Báo cáo 298/BC-UBND).

Only the header (number, place, date, abstract, recipients, signer) is typed from the seed: every
figure in the sections comes from the store and the foundation through the section providers.
Running twice changes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from xhht.official_reports.models import Report
from xhht.official_reports.services import report_create
from xhht.units.models import Unit

NUMBER = "298/BC-UBND"
PERIOD = "2016-2020"
KIND = "phase-summary"

HEADER: dict[str, Any] = {
    "issuing_body_superior": "ỦY BAN NHÂN DÂN",
    "issuing_body": "HUYỆN HÒA AN",
    "number": NUMBER,
    "place": "Hòa An",
    "report_date": date(2020, 9, 9),
    "title": "BÁO CÁO",
    "abstract": ("Triển khai tổng kết thực hiện Quyết định số 89/QĐ-TTg ngày 09/01/2013 của Thủ tướng Chính phủ "
                 "phê duyệt Đề án “Xây dựng xã hội học tập giai đoạn 2012 - 2020”"),
    "intro": ("Thực hiện Kế hoạch số 1668/KH-SGD&ĐT ngày 08 tháng 7 năm 2020 của Sở Giáo dục và Đào tạo về triển khai tổng kết "
              "thực hiện Quyết định số 89/QĐ-TTg ngày 09/01/2013 của Thủ tướng Chính phủ phê duyệt Đề án “Xây dựng xã hội học tập "
              "giai đoạn 2012 - 2020” (sau đây gọi là Quyết định 89), Ủy ban nhân dân huyện Hòa An báo cáo kết quả triển khai "
              "thực hiện như sau:"),
    "closing": ("Trên đây là Báo cáo triển khai tổng kết thực hiện Quyết định số 89/QĐ-TTg ngày 09/01/2013 của Thủ tướng Chính phủ "
                "phê duyệt Đề án “Xây dựng xã hội học tập giai đoạn 2012 - 2020” trên địa bàn huyện Hòa An./."),
    "recipients": "\n".join([
        "Sở GD&ĐT Cao Bằng (ĐTBD);",
        "TT. Huyện uỷ;",
        "TT. HĐND huyện;",
        "TT. UBND huyện;",
        "Các phòng, ban, tổ chức hội, đoàn thể huyện;",
        "Trang thông tin điện tử huyện;",
        "UBND các xã, thị trấn;",
        "Lưu: VT, GD&ĐT.",
    ]),
    "signer_authority": "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
    "signer_name": "Đàm Thế Trang",
}


def load(*, actor: Any = None) -> None:
    district = Unit.objects.get(code="051")
    if Report.objects.filter(unit=district, period=PERIOD, kind=KIND, number=NUMBER).exists():
        return
    report_create(actor=actor, unit=district, period=PERIOD, kind=KIND, header=HEADER)
