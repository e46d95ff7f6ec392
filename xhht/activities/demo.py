"""The Hòa An demo's activity registers, entered through the real services.

The seed report (Báo cáo 298/BC-UBND, 09/09/2020) gives district totals; the demo spreads them over
the 21 communes' centres and classes with an even, deterministic split so that every figure the
report prints comes back out of the registers exactly:

* CLC topics (III.1.1 c): 2016-2017 … 2019-2020: 187/167/8247, 190/170/10940, 179/152/10420, 108/97/7965.
* CLC staff (III.1.1 c): 21 centres, 63 managers, 42 accountants/treasurers (school year 2019-2020).
* Vocational training (III.1.3): 2010–2019 with the "Cộng" row 125 / 3.358 / 3.204 / 546 / 65 / 0; the
  2019 row reports no poor-household, policy or disability figures, so they stay empty. 4 non-farm classes
  in 2010–2015 and 2 in 2016–2020 as the report says; *which* years is the demo's choice.
* Lifelong learning week (III.1.1 e): themes 2016–2019 from the report; its 2020 theme is not given and
  stays empty. The report gives only 2016–2020 totals (over 24.000 participants, 248 delegates, over 23.000
  books, 315 banners); the per-year split below is illustrative and sums to those totals.
* Communication (III.1.8–1.9): culture office about 350 news items and 46 articles on the district radio
  and television (an estimate, "ước khoảng"); culture and media centre 123 news items and 6 features. The
  report gives no year: recorded for the programme period 2012-2020.
* Commendations (III.1): two communes and one person, district certificates of merit (names not given).
* Budget (II): 40.552.000 đ = 25.000.000 đ regular operation + 15.552.000 đ allowances, for the centres,
  from mixed sources; the report gives no year: recorded for 2020, the report's year.

Loading twice changes nothing: each scope is replaced only when it differs.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from xhht.activities.registers import centre_of
from xhht.activities.services import activity_records_replace
from xhht.organisations.models import Organisation
from xhht.units.models import COMMUNE_LEVEL_KINDS, Unit

DISTRICT = "051"

CLC_TABLE = {
    "2016-2017": (187, 167, 8247),
    "2017-2018": (190, 170, 10940),
    "2018-2019": (179, 152, 10420),
    "2019-2020": (108, 97, 7965),
}
CLC_STAFF_YEAR = "2019-2020"
CLC_MANAGERS_PER_CENTRE, CLC_ACCOUNTANTS_PER_CENTRE = 3, 2

# Topics the report names (III.1.1 c), with the speakers' organisations it lists.
TOPICS = [
    ("Luật Hôn nhân và gia đình", "law", "Cán bộ Tư pháp xã"),
    ("Luật Giao thông đường bộ", "law", "Cán bộ Tư pháp xã"),
    ("Kỹ thuật trồng, chăm sóc, thu hái, sấy và bảo quản cây thuốc lá", "agriculture_forestry", "Viện Kinh tế kỹ thuật thuốc lá"),
    ("Chăm sóc sức khỏe bà mẹ, trẻ em và vệ sinh môi trường", "health", "Trung tâm Y tế huyện Hòa An"),
    ("Tin học cho cán bộ xã; sử dụng Internet tra cứu thông tin", "it", "TTGDNN-GDTX Hòa An"),
    ("Tập huấn xây dựng nông thôn mới", "new_rural", "Phòng Nông nghiệp và PTNT huyện Hòa An"),
    ("Kỹ thuật trồng và chăm sóc cây ăn quả có múi (cam, quýt, bưởi)", "agriculture_forestry", "Trạm Khuyến nông - Khuyến lâm huyện Hòa An"),
    ("Luật Đất đai", "law", "Cán bộ Tư pháp xã"),
    ("Phòng chống cháy rừng và bảo vệ rừng", "agriculture_forestry", "Phòng Nông nghiệp và PTNT huyện Hòa An"),
    ("Vệ sinh, an toàn thực phẩm", "health", "Cán bộ Y tế xã"),
    ("Ba văn kiện pháp lý biên giới trên đất liền Việt Nam - Trung Quốc", "law", "Ban Tuyên giáo Huyện ủy Hòa An"),
    ("Chăm sóc, bảo vệ gia súc, gia cầm vào mùa đông", "agriculture_forestry", "Cán bộ Thú y xã"),
    ("Phòng chống tai nạn thương tích cho trẻ em, phòng chống cháy nổ", "safety_environment", "Giáo viên trường THCS trên địa bàn xã"),
    ("Kỹ thuật sửa chữa máy nông nghiệp, máy nổ", "machinery", "TTGDNN-GDTX Hòa An"),
    ("Kỹ thuật trồng rau an toàn, trồng nấm", "agriculture_forestry", "Trạm Khuyến nông - Khuyến lâm huyện Hòa An"),
]

# year: (classes, learners, ethnic minority, poor household, policy beneficiary, disabled); None = not reported.
VOCATIONAL_TABLE: dict[int, tuple[int, int, int | None, int | None, int | None, int | None]] = {
    2010: (8, 228, 215, 26, 13, 0),
    2011: (38, 814, 794, 68, 17, 0),
    2012: (12, 331, 320, 45, 29, 0),
    2013: (15, 461, 449, 42, 2, 0),
    2014: (17, 526, 447, 30, 0, 0),
    2015: (10, 276, 262, 28, 3, 0),
    2016: (10, 262, 260, 17, 1, 0),
    2017: (6, 168, 168, 168, 0, 0),
    2018: (4, 122, 122, 122, 0, 0),
    2019: (5, 170, 167, None, None, None),
}
VOCATIONAL_NON_FARM_YEARS = [2011, 2012, 2013, 2014, 2016, 2019]  # one non-farm class in each (demo's choice)
FARM_TRADES = [
    ("Trồng cây thuốc lá", "Viện Kinh tế kỹ thuật thuốc lá"),
    ("Chăn nuôi gia súc, gia cầm", "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên Hòa An"),
    ("Trồng trọt (rau, cây ăn quả)", "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên Hòa An"),
    ("Sửa chữa máy nông nghiệp", "Trường Trung cấp nghề cơ sở 2"),
]
NON_FARM_TRADES = [("May dân dụng", "Trường Trung cấp nghề cơ sở 2"), ("Sửa chữa xe máy", "Trường Trung cấp nghề cơ sở 2")]

LIFELONG_WEEKS = {
    # year: (theme, participants, delegates, books, banners) — themes from the report; figures illustrative.
    2016: ("Phát triển văn hóa đọc trong kỷ nguyên số", 4650, 52, 4420, 63),
    2017: ("Học tập để phát triển quê hương đất nước", 5120, 50, 4870, 65),
    2018: ("Học ở trường, học ở sách vở, học lẫn nhau và học ở dân", 5340, 50, 5010, 64),
    2019: ("Đọc và học tập suốt đời theo gương Bác Hồ vĩ đại", 5480, 52, 5230, 66),
    2020: ("", 3610, 44, 3580, 57),
}
LIFELONG_NOTE = "Số liệu từng năm là minh họa của bản demo; Báo cáo 298/BC-UBND chỉ nêu tổng 2016–2020."

COMMUNICATION_PERIOD = "2012-2020"
COMMUNICATION = [
    ("Phòng Văn hóa và Thông tin huyện Hòa An", "district_radio_tv", "news_item", 350, True),
    ("Phòng Văn hóa và Thông tin huyện Hòa An", "district_radio_tv", "article", 46, True),
    ("Trung tâm Văn hóa và Truyền thông huyện Hòa An", "district_radio_tv", "news_item", 123, False),
    ("Trung tâm Văn hóa và Truyền thông huyện Hòa An", "district_radio_tv", "feature", 6, False),
]

COMMENDATION_YEAR = 2020
COMMENDATION_REASON = "Có thành tích trong thực hiện Đề án “Xây dựng xã hội học tập giai đoạn 2012 - 2020”"
BUDGET_PERIOD = "2020"
BUDGET = [("regular_operation", Decimal("25000000")), ("allowances", Decimal("15552000"))]


def split(total: int, parts: int, *, offset: int = 0) -> list[int]:
    """``total`` in ``parts`` whole shares differing by at most one; the larger ones start at ``offset``."""
    base, extra = divmod(total, parts)
    return [base + (1 if (i - offset) % parts < extra else 0) for i in range(parts)]


def _communes() -> list[Unit]:
    return list(Unit.objects.filter(parent_id=DISTRICT, kind__in=COMMUNE_LEVEL_KINDS).order_by("code"))


def _load_clc(actor: Any, communes: list[Unit]) -> None:
    n = len(communes)
    for year_index, (school_year, (topics, classes, participants)) in enumerate(CLC_TABLE.items()):
        t_split = split(topics, n, offset=year_index * 5)
        k_split = split(classes, n, offset=year_index * 5)
        p_split = split(participants, n, offset=year_index * 5 + 3)
        for i, commune in enumerate(communes):
            centre = centre_of(commune.code)
            assert centre is not None, commune
            rows = []
            k_per_topic = split(k_split[i], t_split[i]) if t_split[i] else []
            p_per_topic = split(p_split[i], t_split[i]) if t_split[i] else []
            for j in range(t_split[i]):
                title, area, speaker = TOPICS[(i + j + year_index) % len(TOPICS)]
                rows.append({"unit": commune, "centre": centre, "school_year": school_year, "title": title, "subject_area": area,
                             "speaker_organisation": speaker, "classes": k_per_topic[j], "participants": p_per_topic[j], "note": ""})
            activity_records_replace(actor=actor, register="clc_topic", scope={"centre": centre, "school_year": school_year}, rows=rows, note="demo")
    for commune in communes:
        centre = centre_of(commune.code)
        activity_records_replace(
            actor=actor, register="clc_staffing", scope={"centre": centre, "school_year": CLC_STAFF_YEAR}, note="demo",
            rows=[{"unit": commune, "centre": centre, "school_year": CLC_STAFF_YEAR, "managers": CLC_MANAGERS_PER_CENTRE,
                   "accountants_treasurers": CLC_ACCOUNTANTS_PER_CENTRE, "note": ""}],
        )


def _load_vocational(actor: Any, communes: list[Unit]) -> None:
    n = len(communes)
    cursor = 0
    for year, (classes, learners, *breakdown) in VOCATIONAL_TABLE.items():
        learner_split = split(learners, classes)
        parts = [split(b, classes) if b is not None else [None] * classes for b in breakdown]
        by_commune: dict[str, list[dict[str, Any]]] = {}
        for i in range(classes):
            commune = communes[(cursor + i) % n]
            non_farm = year in VOCATIONAL_NON_FARM_YEARS and i == classes - 1
            trade, organiser = (NON_FARM_TRADES if non_farm else FARM_TRADES)[(cursor + i) % (2 if non_farm else len(FARM_TRADES))]
            by_commune.setdefault(commune.code, []).append({
                "unit": commune, "year": year, "name": f"Lớp {i + 1:02d}/{year}: {trade}", "trade": trade,
                "sector": "non_farm" if non_farm else "farm", "level": "short_course", "organiser": organiser,
                "funding_source": "state_budget", "learners": learner_split[i], "ethnic_minority": parts[0][i],
                "poor_household": parts[1][i], "policy_beneficiary": parts[2][i], "disabled": parts[3][i], "note": "",
            })
        cursor = (cursor + classes) % n
        for commune in communes:
            rows = by_commune.get(commune.code, [])
            if rows or commune.code in by_commune:
                activity_records_replace(actor=actor, register="vocational_class", scope={"unit": commune, "year": year}, rows=rows, note="demo")


def _load_lifelong_weeks(actor: Any, district: Unit) -> None:
    for year, (theme, participants, delegates, books, banners) in LIFELONG_WEEKS.items():
        note = LIFELONG_NOTE + ("" if theme else " Báo cáo không nêu chủ đề năm này.")
        activity_records_replace(
            actor=actor, register="lifelong_week", scope={"unit": district, "year": year}, note="demo",
            rows=[{"unit": district, "year": year, "theme": theme, "host_school": "", "host_centre": "", "participants": participants,
                   "delegates": delegates, "books_collected": books, "banners": banners, "note": note}],
        )


def _load_communication(actor: Any, district: Unit) -> None:
    by_org: dict[str, list[dict[str, Any]]] = {}
    for org_name, channel, kind, count, estimated in COMMUNICATION:
        organisation = Organisation.objects.get(unit=district, name=org_name)
        by_org.setdefault(org_name, []).append({
            "unit": district, "organisation": organisation, "period": COMMUNICATION_PERIOD, "channel": channel, "kind": kind,
            "count": count, "estimated": estimated, "note": "Báo cáo 298/BC-UBND không nêu năm; ghi cho cả giai đoạn 2012-2020.",
        })
    for org_name, rows in by_org.items():
        activity_records_replace(actor=actor, register="communication", scope={"organisation": rows[0]["organisation"], "period": COMMUNICATION_PERIOD},
                                 rows=rows, note="demo")


def _load_commendations(actor: Any, district: Unit) -> None:
    note = "Báo cáo 298/BC-UBND không nêu tên."
    rows = [
        {"unit": district, "year": COMMENDATION_YEAR, "level": "district", "recipient_kind": kind, "recipient_name": "", "decision": "",
         "reason": COMMENDATION_REASON, "note": note}
        for kind in ["commune", "commune", "person"]
    ]
    activity_records_replace(actor=actor, register="commendation", scope={"unit": district, "year": COMMENDATION_YEAR}, rows=rows, note="demo")


def _load_budget(actor: Any, district: Unit) -> None:
    rows = [
        {"unit": district, "period": BUDGET_PERIOD, "source": "mixed", "purpose": purpose, "amount": amount,
         "beneficiary": "Các trung tâm học tập cộng đồng", "note": "Báo cáo 298/BC-UBND (mục II) không nêu năm; ghi vào năm báo cáo."}
        for purpose, amount in BUDGET
    ]
    activity_records_replace(actor=actor, register="budget_line", scope={"unit": district, "period": BUDGET_PERIOD}, rows=rows, note="demo")


def load(*, actor: Any = None) -> None:
    with transaction.atomic():
        district = Unit.objects.get(code=DISTRICT)
        communes = _communes()
        _load_clc(actor, communes)
        _load_vocational(actor, communes)
        _load_lifelong_weeks(actor, district)
        _load_communication(actor, district)
        _load_commendations(actor, district)
        _load_budget(actor, district)
