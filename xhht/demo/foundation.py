"""The Hòa An demo's ground: units, organisations, documents, steering committee and accounts.

Everything here is read off the seed report (Báo cáo 298/BC-UBND of 09/09/2020, sections I
and 5.1–5.10). The commune codes are placeholders in the district's range: the GSO codes
were not at hand. Loading twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from xhht.accounts.models import Role
from xhht.accounts.services import user_create_or_update
from xhht.audit.services import audit_record
from xhht.organisations.models import Organisation, OrganisationKind as K
from xhht.steering.models import DocumentKind as D
from xhht.steering.services import committee_replace, document_upsert
from xhht.units.models import COMMUNE_LEVEL_KINDS, Unit, UnitChange
from xhht.units.services import unit_import

DATA = Path(__file__).parent / "data"
PROVINCE, DISTRICT = "04", "051"
NAM_TUAN, HONG_VIET = "05115", "05113"
DEMO_PASSWORD = "xhht-demo-2020"
# The communes of the two-level government from 01/07/2025 (real GSO codes; INTERIM until the lineage work lands).
XA_HOA_AN, XA_NAM_TUAN, XA_NGUYEN_HUE, XA_BACH_DANG = "01654", "01660", "01699", "01708"
REFORM_DAY = date(2025, 7, 1)

# The two reforms (xhht/demo/data/hoa_an_changes.csv, format 4; loaded by ``reforms_load``, last in ``xhht demo``).
# The 21 communes keep their placeholder codes 05100–05120; the units born on 1 July 2025 have the GSO codes
# of rules.md §5b. In 2020 Trung Vương (05119) took Nguyễn Huệ (05117) and its name.
REFORM_2020, REFORM_2025 = date(2020, 2, 1), date(2025, 7, 1)
BASIS_2020, BASIS_2025 = "Nghị quyết 864/NQ-UBTVQH14", "Nghị quyết 1657/NQ-UBTVQH15"
NGUYEN_HUE_2020 = "05119"  # xã Nguyễn Huệ 2020–2025 (formerly Trung Vương)
XA_HOA_AN = "01654"  # xã Hòa An = Nước Hai + Đại Tiến + Hồng Việt
XA_NAM_TUAN = "01660"  # xã Nam Tuấn (2025) = Đức Long + Dân Chủ + Nam Tuấn
XA_NGUYEN_HUE = "01699"  # xã Nguyễn Huệ (2025) = Quang Trung + Ngũ Lão + Nguyễn Huệ
XA_BACH_DANG = "01708"  # xã Bạch Đằng (2025) = Bình Dương + Bạch Đằng (+ Thịnh Vượng, outside the demo)
PHUONG_THUC_PHAN, PHUONG_TAN_GIANG = "01273", "01288"  # wards of the provincial city (only Hoàng Tung, Lê Chung in the demo)
XA_MINH_TAM, XA_KIM_DONG = "01747", "01792"  # only Trương Lương, Hồng Nam in the demo
NEW_COMMUNES_2025 = [XA_HOA_AN, XA_NAM_TUAN, XA_NGUYEN_HUE, XA_BACH_DANG, PHUONG_THUC_PHAN, PHUONG_TAN_GIANG, XA_MINH_TAM, XA_KIM_DONG]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    unit: str
    full_name: str
    position: str
    note: str
    phone: str = ""
    email: str = ""


DEMO_ACCOUNTS = [
    DemoAccount("pgd.hoaan", Role.DISTRICT_OFFICER, DISTRICT, "Cán bộ Phòng GD&ĐT", "Chuyên viên Phòng GD&ĐT huyện Hòa An", "cán bộ cấp huyện (cơ quan thường trực)",
                "0206 3860 000", "pgd.hoaan@example.gov.vn"),
    DemoAccount("xa.namtuan", Role.COMMUNE_OFFICER, NAM_TUAN, "Cán bộ xã Nam Tuấn", "Công chức Văn hóa - Xã hội", "cán bộ xã Nam Tuấn",
                "0912 000 015", "xa.namtuan@example.gov.vn"),
    DemoAccount("xa.hongviet", Role.COMMUNE_OFFICER, HONG_VIET, "Cán bộ xã Hồng Việt", "Công chức Văn hóa - Xã hội", "cán bộ xã Hồng Việt",
                "0912 000 013", "xa.hongviet@example.gov.vn"),
    DemoAccount("so.caobang", Role.PROVINCE_OFFICER, PROVINCE, "Cán bộ Sở GD&ĐT", "Chuyên viên Sở GD&ĐT Cao Bằng", "cán bộ cấp tỉnh"),
    DemoAccount("quantri", Role.ADMINISTRATOR, PROVINCE, "Quản trị hệ thống", "", "quản trị hệ thống"),
]

DISTRICT_ORGANISATIONS = [
    (K.PEOPLES_COMMITTEE, "Ủy ban nhân dân huyện Hòa An", "UBND huyện"),
    (K.EDUCATION_OFFICE, "Phòng Giáo dục và Đào tạo huyện Hòa An", "Phòng GD&ĐT"),
    (K.STUDY_PROMOTION_ASSOCIATION, "Hội Khuyến học huyện Hòa An", "Hội Khuyến học"),
    (K.LABOUR_OFFICE, "Phòng Lao động - Thương binh và Xã hội huyện Hòa An", "Phòng LĐTB&XH"),
    (K.CULTURE_OFFICE, "Phòng Văn hóa và Thông tin huyện Hòa An", "Phòng VH-TT"),
    (K.CULTURE_MEDIA_CENTRE, "Trung tâm Văn hóa và Truyền thông huyện Hòa An", "TT VH&TT"),
    (K.HOME_AFFAIRS_OFFICE, "Phòng Nội vụ huyện Hòa An", "Phòng Nội vụ"),
    (K.FINANCE_OFFICE, "Phòng Tài chính - Kế hoạch huyện Hòa An", "Phòng TC-KH"),
    (K.AGRICULTURE_OFFICE, "Phòng Nông nghiệp và Phát triển nông thôn huyện Hòa An", "Phòng NN&PTNT"),
    (K.FATHERLAND_FRONT, "Ủy ban Mặt trận Tổ quốc Việt Nam huyện Hòa An", "UBMTTQ huyện"),
    (K.LABOUR_FEDERATION, "Liên đoàn Lao động huyện Hòa An", "LĐLĐ huyện"),
    (K.YOUTH_UNION, "Huyện đoàn Hòa An", "Huyện đoàn"),
    (K.WOMENS_UNION, "Hội Liên hiệp Phụ nữ huyện Hòa An", "Hội LHPN huyện"),
    (K.VETERANS_ASSOCIATION, "Hội Cựu chiến binh huyện Hòa An", "Hội CCB"),
    (K.FARMERS_ASSOCIATION, "Hội Nông dân huyện Hòa An", "Hội Nông dân"),
    (K.ELDERLY_ASSOCIATION, "Hội Người cao tuổi huyện Hòa An", "Hội NCT"),
    (K.FORMER_TEACHERS_ASSOCIATION, "Hội Cựu giáo chức huyện Hòa An", "Hội Cựu giáo chức"),
    (K.VOCATIONAL_CONTINUING_CENTRE, "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên Hòa An", "TTGDNN-GDTX Hòa An"),
    (K.VOCATIONAL_SCHOOL, "Trường Trung cấp nghề cơ sở 2", "Trường TC nghề CS2"),
    (K.ENTERPRISE, "Viện Kinh tế kỹ thuật thuốc lá", "Viện KTKT thuốc lá"),
    (K.ENTERPRISE, "Chi nhánh Công ty Cổ phần Dịch vụ Thương mại Đồng Tâm", "CN Cty Đồng Tâm"),
]
PROVINCE_ORGANISATIONS = [
    (K.PEOPLES_COMMITTEE, "Ủy ban nhân dân tỉnh Cao Bằng", "UBND tỉnh"),
    (K.EDUCATION_DEPARTMENT, "Sở Giáo dục và Đào tạo Cao Bằng", "Sở GD&ĐT"),
]

# (kind, number, date, issuer, title, level) — seed section I.3, and the texts it cites.
DOCUMENTS = [
    (D.DECISION, "89/QĐ-TTg", date(2013, 1, 9), "Thủ tướng Chính phủ", "Phê duyệt Đề án “Xây dựng xã hội học tập giai đoạn 2012 - 2020”", None),
    (D.PLAN, "1668/KH-SGD&ĐT", date(2020, 7, 8), "Sở Giáo dục và Đào tạo Cao Bằng", "Triển khai tổng kết thực hiện Quyết định số 89/QĐ-TTg ngày 09/01/2013 của Thủ tướng Chính phủ", PROVINCE),
    (D.DECISION, "738/QĐ-UBND", date(2014, 4, 10), "UBND huyện Hòa An", "Thành lập Ban chỉ đạo thực hiện Đề án “Xây dựng xã hội học tập giai đoạn 2014-2020” trên địa bàn huyện Hòa An", DISTRICT),
    (D.PLAN, "33/KH-UBND", date(2014, 5, 9), "UBND huyện Hòa An", "Thực hiện Đề án “Xây dựng xã hội học tập trên địa bàn huyện Hòa An giai đoạn 2014-2020”", DISTRICT),
    (D.OFFICIAL_LETTER, "01/CV-BCĐ", date(2014, 5, 13), "Ban chỉ đạo “Xây dựng xã hội học tập giai đoạn 2014-2020” huyện Hòa An", "Hướng dẫn xây dựng kế hoạch thực hiện Đề án “Xây dựng xã hội học tập giai đoạn 2014-2020”", DISTRICT),
    (D.PLAN, "73/KH-UBND", date(2014, 12, 9), "UBND huyện Hòa An", "Triển khai thực hiện Đề án “Xóa mù chữ đến năm 2020” trên địa bàn huyện Hòa An", DISTRICT),
    (D.DECISION, "2483/QĐ-UBND", date(2015, 11, 13), "UBND huyện Hòa An", "Kiện toàn Ban chỉ đạo thực hiện Đề án “Xây dựng xã hội học tập trên địa bàn huyện Hòa An giai đoạn 2014-2020”", DISTRICT),
    (D.PLAN, "34/KH-UBND", date(2017, 5, 12), "UBND huyện Hòa An", "Thực hiện Chương trình mục tiêu Quốc gia xây dựng nông thôn mới năm 2017 và giai đoạn 2018-2020", DISTRICT),
    (D.DECISION, "3850/QĐ-UBND", date(2019, 12, 23), "UBND huyện Hòa An", "Thành lập Đoàn kiểm tra, đánh giá, xếp loại “Cộng đồng học tập” cấp xã năm 2019", DISTRICT),
    (D.DECISION, "202/QĐ-UBND", date(2020, 2, 14), "UBND huyện Hòa An", "Kiện toàn các Trung tâm học tập cộng đồng tại các xã, thị trấn trên địa bàn huyện Hòa An", DISTRICT),
    (D.PLAN, "120/KH-UBND", date(2020, 8, 11), "UBND huyện Hòa An", "Triển khai tổng kết thực hiện Quyết định số 89/QĐ-TTg ngày 09/01/2013 của Thủ tướng Chính phủ phê duyệt Đề án “Xây dựng xã hội học tập giai đoạn 2012 - 2020”", DISTRICT),
    (D.REPORT, "298/BC-UBND", date(2020, 9, 9), "UBND huyện Hòa An", "Triển khai tổng kết thực hiện Quyết định số 89/QĐ-TTg ngày 09/01/2013 của Thủ tướng Chính phủ phê duyệt Đề án “Xây dựng xã hội học tập giai đoạn 2012 - 2020”", DISTRICT),
]

# The seed names the committee's duties but not its members' names; positions follow the
# duties of section 5 (the education office is the standing agency).
COMMITTEE_MEMBERS = [
    {"position": "Trưởng ban", "job_title": "Lãnh đạo UBND huyện", "area": "Chỉ đạo chung"},
    {"position": "Phó Trưởng ban thường trực", "job_title": "Trưởng phòng Giáo dục và Đào tạo", "area": "Xóa mù chữ, phổ cập giáo dục; Trung tâm học tập cộng đồng; tổng hợp báo cáo"},
    {"position": "Phó Trưởng ban", "job_title": "Chủ tịch Hội Khuyến học huyện", "area": "Gia đình, dòng họ, cộng đồng, đơn vị học tập"},
    {"position": "Thành viên", "job_title": "Trưởng phòng Lao động - Thương binh và Xã hội", "area": "Dạy nghề cho lao động nông thôn; người khuyết tật"},
    {"position": "Thành viên", "job_title": "Trưởng phòng Văn hóa và Thông tin", "area": "Thư viện, nhà văn hóa, câu lạc bộ"},
    {"position": "Thành viên", "job_title": "Giám đốc Trung tâm Văn hóa và Truyền thông", "area": "Thông tin, tuyên truyền"},
    {"position": "Thành viên", "job_title": "Trưởng phòng Nội vụ", "area": "Bồi dưỡng cán bộ, công chức, viên chức"},
    {"position": "Thành viên", "job_title": "Trưởng phòng Tài chính - Kế hoạch", "area": "Kinh phí"},
    {"position": "Thành viên", "job_title": "Trưởng phòng Nông nghiệp và PTNT", "area": "Tập huấn khuyến nông"},
    {"position": "Thành viên", "job_title": "Chủ tịch Liên đoàn Lao động huyện", "area": "Học tập suốt đời của công nhân lao động"},
    {"position": "Thành viên", "job_title": "Bí thư Huyện đoàn", "area": "Đoàn viên, thanh thiếu nhi"},
    {"position": "Thành viên", "job_title": "Chủ tịch Hội Liên hiệp Phụ nữ huyện", "area": "Phụ nữ học tập"},
]


def _organisation(actor: Any, unit: Unit, kind: str, name: str, short: str) -> Organisation:
    org, created = Organisation.objects.get_or_create(unit=unit, name=name, defaults={"kind": kind, "short_name": short})
    if created:
        audit_record(actor=actor, action="organisation_create", instance=org, unit_code=unit.code, changes={"name": [None, name]})
    return org


def load(*, actor: Any = None) -> None:
    with transaction.atomic():
        # The base file is the tree before the reorganisations; once they are in (reforms_load), importing it
        # again would reopen the versions they closed: loading twice changes nothing.
        reformed = UnitChange.objects.filter(effective_date__in=[REFORM_2020, REFORM_2025]).exists()
        if not reformed:
            unit_import(actor=actor, path=DATA / "hoa_an_units.csv")
        province, district = Unit.objects.get(code=PROVINCE), Unit.objects.get(code=DISTRICT)
        for kind, name, short in PROVINCE_ORGANISATIONS:
            _organisation(actor, province, kind, name, short)
        for kind, name, short in DISTRICT_ORGANISATIONS:
            _organisation(actor, district, kind, name, short)
        # The communes' bodies under their names before the reforms (a commune renamed in 2020 keeps its bodies).
        for commune in [] if reformed else Unit.objects.filter(parent=district, kind__in=COMMUNE_LEVEL_KINDS):
            _organisation(actor, commune, K.PEOPLES_COMMITTEE, f"Ủy ban nhân dân {commune.full_name}", "UBND")
            _organisation(actor, commune, K.COMMUNITY_LEARNING_CENTRE, f"Trung tâm học tập cộng đồng {commune.full_name}", "TTHTCĐ")
        documents = {}
        for doc_kind, number, issued, issuer, title, level in DOCUMENTS:
            unit = Unit.objects.get(code=level) if level else None
            documents[number] = document_upsert(actor=actor, unit=unit, kind=doc_kind, number=number, issued_on=issued, issuer=issuer, title=title)
        committee_replace(
            actor=actor,
            unit=district,
            name="Ban Chỉ đạo thực hiện Đề án “Xây dựng xã hội học tập giai đoạn 2014-2020” huyện Hòa An",
            established_by=documents["738/QĐ-UBND"],
            last_consolidated_by=documents["2483/QĐ-UBND"],
            members=COMMITTEE_MEMBERS,
        )
        for account in DEMO_ACCOUNTS:
            user_create_or_update(
                actor=actor,
                username=account.username,
                password=DEMO_PASSWORD,
                role=account.role,
                unit=Unit.objects.get(code=account.unit),
                full_name=account.full_name,
                position=account.position,
                phone=account.phone,  # fictitious demo contacts, for the reminder list
                email=account.email,
            )


REFORM_ACCOUNTS = [
    DemoAccount("xa.hoaan", Role.COMMUNE_OFFICER, XA_HOA_AN, "Cán bộ xã Hòa An", "Công chức Văn hóa - Xã hội", "cán bộ xã Hòa An (từ 01/07/2025)",
                "0912 000 101", "xa.hoaan@example.gov.vn"),
    DemoAccount("xa.namtuan2025", Role.COMMUNE_OFFICER, XA_NAM_TUAN, "Cán bộ xã Nam Tuấn (mới)", "Công chức Văn hóa - Xã hội",
                "cán bộ xã Nam Tuấn (từ 01/07/2025)", "0912 000 102", "xa.namtuan2025@example.gov.vn"),
    DemoAccount("xa.nguyenhue", Role.COMMUNE_OFFICER, XA_NGUYEN_HUE, "Cán bộ xã Nguyễn Huệ", "Công chức Văn hóa - Xã hội",
                "cán bộ xã Nguyễn Huệ (từ 01/07/2025)", "0912 000 103", "xa.nguyenhue@example.gov.vn"),
    DemoAccount("xa.bachdang", Role.COMMUNE_OFFICER, XA_BACH_DANG, "Cán bộ xã Bạch Đằng", "Công chức Văn hóa - Xã hội",
                "cán bộ xã Bạch Đằng (từ 01/07/2025)", "0912 000 104", "xa.bachdang@example.gov.vn"),
]


def reforms_load(*, actor: Any = None) -> None:
    """The early-2020 merger (21 → 15) and the 1 July 2025 reform, through the format-4 importer; then the new
    communes' officers and bodies. Idempotent (a reorganisation already imported is skipped).

    Not part of :func:`load`: tests that read the seed's flat tree of today keep it; ``xhht demo`` runs this last.
    """
    from xhht.units.changes import unit_changes_import

    with transaction.atomic():
        unit_changes_import(actor=actor, path=DATA / "hoa_an_changes.csv")
        for code in NEW_COMMUNES_2025[:4]:
            commune = Unit.objects.get(code=code)
            _organisation(actor, commune, K.PEOPLES_COMMITTEE, f"Ủy ban nhân dân {commune.full_name}", "UBND")
            _organisation(actor, commune, K.COMMUNITY_LEARNING_CENTRE, f"Trung tâm học tập cộng đồng {commune.full_name}", "TTHTCĐ")
        for account in REFORM_ACCOUNTS:
            user_create_or_update(actor=actor, username=account.username, password=DEMO_PASSWORD, role=account.role,
                                  unit=Unit.objects.get(code=account.unit), full_name=account.full_name, position=account.position,
                                  phone=account.phone, email=account.email)
