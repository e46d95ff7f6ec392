"""Adversarial access audit across every app's URLs.

The Nam Tuấn commune officer (xa.namtuan, 05115) tries to read or change Hồng Việt's (05113) and the
district's (051) data through every URL pattern, with the primary keys of their objects: each attempt
must end in 404 (not visible) or 403 (visible, not editable), never 200 with another commune's data and
never 500. A viewer must not change anything; an anonymous visitor is sent to the login page.
"""

from __future__ import annotations

from typing import Any

import pytest

HV = "05113"


@pytest.fixture(scope="session")
def all_demos(django_db_setup: Any, django_db_blocker: Any) -> None:
    from xhht.activities.demo import load as activities
    from xhht.indicators.demo import load as indicators
    from xhht.learning_models.demo import load as learning_models
    from xhht.literacy.demo import load as literacy
    from xhht.official_reports.demo import load as official_reports
    from xhht.reporting.demo import load as reporting

    with django_db_blocker.unblock():
        for load in (indicators, literacy, reporting, learning_models, activities, official_reports):
            load()


def _first_pk(model: Any, **filters: Any) -> int | None:
    obj = model.objects.filter(**filters).order_by("pk").first()
    return obj.pk if obj else None


def foreign_urls() -> list[str]:
    """URLs naming Hồng Việt's or the district's objects, which Nam Tuấn must not reach."""
    from xhht.activities import models as am
    from xhht.activities.registers import REGISTERS
    from xhht.learning_models.models import Evaluation, Evidence, Participant
    from xhht.literacy.models import SurveyPerson
    from xhht.official_reports.models import IssuedVersion, Report
    from xhht.organisations.models import Organisation

    urls = [
        f"/don-vi/{HV}/", f"/don-vi/{HV}/export.xlsx", f"/api/units/{HV}/",
        "/don-vi/051/export.xlsx",
        f"/van-ban/them/{HV}/", "/van-ban/them/051/",
        f"/chi-tieu/{HV}/", f"/chi-tieu/{HV}/phu-luc.xlsx", f"/chi-tieu/{HV}/du-kien/",
        "/chi-tieu/051/", "/chi-tieu/051/phu-luc.xlsx", "/chi-tieu/051/du-kien/",
        f"/chi-tieu/{HV}/nguon/I.1/2020/", "/chi-tieu/051/nguon/I.1/2020/", f"/chi-tieu/{HV}/nguon/II.5/2019/",
        f"/xoa-mu-chu/{HV}/2019/", f"/xoa-mu-chu/{HV}/2019/nguoi/", f"/xoa-mu-chu/{HV}/2019/xac-nhan/",
        "/xoa-mu-chu/051/2019/", "/xoa-mu-chu/051/2019/nguoi/",
        f"/bao-cao-dinh-ky/tong-hop/{HV}/2020/", f"/bao-cao-dinh-ky/chat-luong/{HV}/2020/",
        "/bao-cao-dinh-ky/tong-hop/051/2020/", "/bao-cao-dinh-ky/chat-luong/051/2020/",
        f"/bao-cao-dinh-ky/mau-nhieu-don-vi/commune/{HV}/2020/", "/bao-cao-dinh-ky/mau-nhieu-don-vi/commune/051/2020/",
        f"/bao-cao-dinh-ky/bieu/commune/{HV}/2020/", f"/bao-cao-dinh-ky/bieu/commune/{HV}/2020/duyet/",
        f"/bao-cao-dinh-ky/bieu/commune/{HV}/2020/mau.xlsx", f"/bao-cao-dinh-ky/bieu/commune/{HV}/2020/tai-len/",
        "/bao-cao-dinh-ky/bieu/district/051/2020/", "/bao-cao-dinh-ky/bieu/district/051/2020/mau.xlsx",
        f"/mo-hinh-hoc-tap/don-vi/{HV}/xep-loai/", f"/mo-hinh-hoc-tap/don-vi/{HV}/2020/",
        f"/mo-hinh-hoc-tap/don-vi/{HV}/2020/dang-ky/", f"/mo-hinh-hoc-tap/don-vi/{HV}/2020/so-ho/",
        f"/mo-hinh-hoc-tap/don-vi/{HV}/2020/dang-ky/nhap/", f"/mo-hinh-hoc-tap/don-vi/{HV}/2020/dang-ky/mau.xlsx",
        f"/mo-hinh-hoc-tap/don-vi/{HV}/2020/cong-nhan/family/", f"/mo-hinh-hoc-tap/don-vi/{HV}/2020/danh-sach/family/",
        "/mo-hinh-hoc-tap/don-vi/051/2020/doan-kiem-tra/", "/mo-hinh-hoc-tap/don-vi/051/2020/cong-nhan/village_community/",
    ]
    org = Organisation.objects.filter(unit_id=HV).order_by("pk").first()
    if org:
        urls += [f"/bao-cao-dinh-ky/bieu/commune/tc-{org.pk}/2020/", f"/bao-cao-dinh-ky/bieu/commune/tc-{org.pk}/2020/mau.xlsx"]
    dorg = Organisation.objects.filter(unit_id="051").order_by("pk").first()
    if dorg:
        urls += [f"/bao-cao-dinh-ky/bieu/education_office/tc-{dorg.pk}/2020/", f"/bao-cao-dinh-ky/bieu/education_office/tc-{dorg.pk}/2020/duyet/"]
    first = SurveyPerson.objects.filter(commune_id=HV).order_by("pk").first()
    p = first.person_id if first else None  # the edit page names the person by their id within the commune-year
    if p:
        urls.append(f"/xoa-mu-chu/{HV}/2019/nguoi/{p}/")
        urls.append(f"/xoa-mu-chu/05115/2019/nguoi/{p}/")  # own commune in the URL, another's person
    part = _first_pk(Participant, commune_id=HV)
    if part:
        urls.append(f"/mo-hinh-hoc-tap/mo-hinh/{part}/2020/danh-gia/")
    ev = _first_pk(Evaluation, registration__participant__commune_id=HV)
    if ev:
        urls += [f"/mo-hinh-hoc-tap/danh-gia/{ev}/", f"/mo-hinh-hoc-tap/danh-gia/{ev}/in/"]
    evid = Evidence.objects.filter(evaluation__registration__participant__commune_id=HV).order_by("pk").first()
    if evid:
        urls.append(f"/mo-hinh-hoc-tap/danh-gia/{evid.evaluation_id}/minh-chung/{evid.pk}/")
    own_ev = _first_pk(Evaluation, registration__participant__commune_id="05115")
    any_evid = Evidence.objects.exclude(evaluation__registration__participant__commune_id="05115").order_by("pk").first()
    if own_ev and any_evid:
        urls.append(f"/mo-hinh-hoc-tap/danh-gia/{own_ev}/minh-chung/{any_evid.pk}/")
    for spec in REGISTERS.values():
        model = spec.model
        pk = _first_pk(model, unit_id=HV) or _first_pk(model, unit_id="051")
        if pk:
            urls += [f"/hoat-dong/{spec.slug}/{pk}/", f"/hoat-dong/{spec.slug}/{pk}/xoa/"]
    vc = _first_pk(am.VocationalClass, unit_id=HV) or _first_pk(am.VocationalClass, unit_id="051")
    if vc:
        urls += [f"/hoat-dong/day-nghe/{vc}/hoc-vien/", f"/hoat-dong/day-nghe/{vc}/hoc-vien.xlsx"]
    for report in Report.objects.exclude(unit_id="05115"):
        urls += [f"/bao-cao/{report.pk}/", f"/bao-cao/{report.pk}/dau-trang/", f"/bao-cao/{report.pk}/nguon/", f"/bao-cao/{report.pk}/tao-tep/",
                 f"/bao-cao/{report.pk}/phien-ban/1/cong-khai/", f"/bao-cao/{report.pk}/phien-ban/1/go-cong-khai/"]
        for section in report.sections.all()[:1]:
            urls += [f"/bao-cao/{report.pk}/muc/{section.pk}/", f"/bao-cao/{report.pk}/muc/{section.pk}/soan-lai/"]
        for v in IssuedVersion.objects.filter(report=report)[:1]:
            urls += [f"/bao-cao/{report.pk}/phien-ban/{v.version}/", f"/bao-cao/{report.pk}/phien-ban/{v.version}/docx/", f"/bao-cao/{report.pk}/phien-ban/{v.version}/pdf/"]
    return urls


REFUSED = {403, 404, 405}


@pytest.mark.django_db
def test_nam_tuan_cannot_reach_hong_viet_or_district_objects(all_demos: None, nam_tuan_officer: Any, client_for: Any) -> None:
    from xhht.audit.models import AuditEntry

    urls = foreign_urls()
    assert len(urls) > 60  # the demos give an object of every kind to aim at
    c = client_for(nam_tuan_officer)
    before = AuditEntry.objects.count()
    wrong = []
    for url in urls:
        for method in ("get", "post"):
            status = getattr(c, method)(url, {}).status_code
            if status not in REFUSED:
                wrong.append(f"{method.upper()} {url} → {status}")
    assert wrong == []
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_anonymous_is_sent_to_login_everywhere(all_demos: None, client: Any) -> None:
    urls = foreign_urls() + ["/", "/don-vi/", "/van-ban/", "/nhat-ky/", "/chi-tieu/", "/xoa-mu-chu/",
            "/xoa-mu-chu/nhap/", "/bao-cao-dinh-ky/", "/bao-cao-dinh-ky/tai-len/", "/mo-hinh-hoc-tap/", "/mo-hinh-hoc-tap/bo-tieu-chi/",
            "/hoat-dong/", "/hoat-dong/chuyen-de/", "/hoat-dong/chuyen-de/them/", "/hoat-dong/chuyen-de/nhap/", "/hoat-dong/chuyen-de/xuat.xlsx",
            "/bao-cao/", "/bao-cao/tao/"]
    wrong = []
    for url in urls:
        for method in ("get", "post"):
            r = getattr(client, method)(url, {})
            if r.status_code == 405:
                continue
            if r.status_code != 302 or not r["Location"].startswith("/dang-nhap/"):
                wrong.append(f"{method.upper()} {url} → {r.status_code}")
    assert wrong == []


@pytest.mark.django_db
def test_viewer_changes_nothing(all_demos: None, viewer: Any, client_for: Any) -> None:
    """The district viewer may read the district's pages (a POST to a read-only page just shows it), but
    no POST anywhere writes anything: the audit log, which every service writes in its transaction, stays
    as it was."""
    from xhht.audit.models import AuditEntry
    from xhht.learning_models.models import Evaluation, Status

    c = client_for(viewer)
    evaluations = [str(pk) for pk in Evaluation.objects.filter(status=Status.REVIEWED).values_list("pk", flat=True)]
    payload = {"name": "x", "kind": "family", "households": "3", "village": "Bản A", "comment": "x", "number": "1/QĐ",
               "decided_on": "2020-12-01", "signer": "x", "signer_title": "x", "evaluations": evaluations}
    urls = foreign_urls() + ["/xoa-mu-chu/nhap/", "/bao-cao-dinh-ky/tai-len/", "/bao-cao/tao/", "/hoat-dong/chuyen-de/them/",
                             "/hoat-dong/chuyen-de/nhap/", "/van-ban/them/051/"]
    # Reads of personal records are logged by design (issue 12, hole 7): the pages a POST merely shows add
    # those rows, and nothing else may be written.
    from xhht.audit.services import PERSON_RECORDS_EXPORT, PERSON_RECORDS_READ

    changes = AuditEntry.objects.exclude(action__in=[PERSON_RECORDS_READ, PERSON_RECORDS_EXPORT])
    before = changes.count()
    for url in urls:
        for action in ("approve", "return", "reopen", "submit", "review", "save"):
            status = c.post(url, {**payload, "action": action}).status_code
            assert status in {200, 302, 400, 403, 404, 405}, (url, status)
    assert changes.count() == before


BIG = "9" * 25
MALFORMED = [
        "/?on=garbage", "/don-vi/?on=garbage", "/don-vi/?on=2020-13-45", "/don-vi/05115/?on=garbage", "/don-vi/05115/export.xlsx?on=x",
        "/van-ban/?on=abc&year=abc&nam=abc&page=abc", f"/van-ban/{BIG}/", "/van-ban/-1/", f"/van-ban/{BIG}/file",
        "/nhat-ky/?page=abc", f"/nhat-ky/?page={BIG}", "/nhat-ky/?page=-1",
        "/chi-tieu/?tu_nam=abc", "/chi-tieu/05115/?tu_nam=abc", f"/chi-tieu/05115/?tu_nam={BIG}", "/chi-tieu/05115/?tu_nam=2020&den_nam=2010",
        "/chi-tieu/05115/?chuong_trinh=<x>", "/chi-tieu/05115/phu-luc.xlsx?tu_nam=abc", f"/chi-tieu/05115/phu-luc.xlsx?den_nam={BIG}",
        "/chi-tieu/05115/du-kien/?tu_nam=-5", f"/chi-tieu/05115/nguon/I.1/{BIG}/", "/chi-tieu/05115/nguon/I.1/0/",
        "/chi-tieu/05115/nguon/" + "x" * 1000 + "/2020/", "/chi-tieu/05115/nguon/I.1/2020/?chuong_trinh=<x>",
        "/xoa-mu-chu/?nam=abc", f"/xoa-mu-chu/05115/{BIG}/", "/xoa-mu-chu/05115/0/", f"/xoa-mu-chu/05115/2019/nguoi/{BIG}/",
        "/xoa-mu-chu/05115/2019/nguoi/?page=abc", f"/xoa-mu-chu/05115/2019/nguoi/?page={BIG}", "/xoa-mu-chu/nhap/abc/", "/xoa-mu-chu/nhap/../../etc/trang-thai",
        "/bao-cao-dinh-ky/?ky=abc", "/bao-cao-dinh-ky/?ky=2019-2021x", "/bao-cao-dinh-ky/?don-vi=zzz", f"/bao-cao-dinh-ky/?ky={BIG}",
        "/bao-cao-dinh-ky/tong-hop/05115/2019-2021x/", f"/bao-cao-dinh-ky/tong-hop/05115/{BIG}/", "/bao-cao-dinh-ky/chat-luong/05115/abc/",
        "/bao-cao-dinh-ky/tong-hop/05115/2020-H3/", "/bao-cao-dinh-ky/tong-hop/05115/0000/", "/bao-cao-dinh-ky/tong-hop/051/2021-2019/",
        "/bao-cao-dinh-ky/mau-nhieu-don-vi/commune/051/abc/", "/bao-cao-dinh-ky/mau-nhieu-don-vi/zzz/051/2020/",
        "/bao-cao-dinh-ky/bieu/commune/05115/abc/", "/bao-cao-dinh-ky/bieu/commune/05115/2019-2021x/", f"/bao-cao-dinh-ky/bieu/commune/05115/{BIG}/",
        f"/bao-cao-dinh-ky/bieu/commune/tc-{BIG}/2020/", "/bao-cao-dinh-ky/bieu/commune/tc-/2020/", "/bao-cao-dinh-ky/bieu/zzz/05115/2020/",
        "/bao-cao-dinh-ky/bieu/commune/05115/abc/mau.xlsx", f"/bao-cao-dinh-ky/bieu/commune/05115/{BIG}/mau.xlsx",
        "/mo-hinh-hoc-tap/?nam=abc", f"/mo-hinh-hoc-tap/?nam={BIG}", "/mo-hinh-hoc-tap/?nam=-1", "/mo-hinh-hoc-tap/bo-tieu-chi/zzz/",
        "/mo-hinh-hoc-tap/don-vi/051/xep-loai/?nam=abc", "/mo-hinh-hoc-tap/don-vi/051/xep-loai/?tu=abc", f"/mo-hinh-hoc-tap/don-vi/051/xep-loai/?tu={BIG}",
        f"/mo-hinh-hoc-tap/don-vi/051/xep-loai/?nam={BIG}",
        f"/mo-hinh-hoc-tap/don-vi/05115/{BIG}/dang-ky/mau.xlsx", "/mo-hinh-hoc-tap/don-vi/05115/0/dang-ky/mau.xlsx",
        f"/mo-hinh-hoc-tap/don-vi/05115/{BIG}/", "/mo-hinh-hoc-tap/don-vi/05115/0/", "/mo-hinh-hoc-tap/don-vi/05115/2020/?dinh-dang=xlsx",
        f"/mo-hinh-hoc-tap/don-vi/05115/{BIG}/?dinh-dang=xlsx", "/mo-hinh-hoc-tap/don-vi/05115/2020/cong-nhan/zzz/",
        f"/mo-hinh-hoc-tap/don-vi/051/{BIG}/doan-kiem-tra/", f"/mo-hinh-hoc-tap/danh-gia/{BIG}/", f"/mo-hinh-hoc-tap/danh-gia/{BIG}/in/",
        f"/mo-hinh-hoc-tap/mo-hinh/{BIG}/2020/danh-gia/", f"/mo-hinh-hoc-tap/danh-gia/1/minh-chung/{BIG}/",
        f"/mo-hinh-hoc-tap/don-vi/05115/{BIG}/danh-sach/family/", "/mo-hinh-hoc-tap/don-vi/05115/2020/danh-sach/family/?dinh-dang=xlsx",
        "/hoat-dong/?ky=abc", "/hoat-dong/?ky=2019-2021x", "/hoat-dong/zzz/", "/hoat-dong/chuyen-de/?don_vi=zzz", "/hoat-dong/chuyen-de/?don_vi=05113",
        "/hoat-dong/chuyen-de/?trang=abc", f"/hoat-dong/chuyen-de/?trang={BIG}", "/hoat-dong/chuyen-de/xuat.xlsx?don_vi=zzz",
        "/hoat-dong/chuyen-de/xuat.xlsx?don_vi=05113", "/hoat-dong/chuyen-de/nhap/?don_vi=05113", "/hoat-dong/chuyen-de/nhap/?don_vi=zzz",
        f"/hoat-dong/chuyen-de/{BIG}/", f"/hoat-dong/day-nghe/{BIG}/hoc-vien/", f"/hoat-dong/day-nghe/{BIG}/hoc-vien.xlsx",
        f"/bao-cao/{BIG}/", "/bao-cao/?nam=abc&page=abc", f"/bao-cao/1/muc/{BIG}/", f"/bao-cao/1/phien-ban/{BIG}/", "/bao-cao/1/phien-ban/1/zzz/",
        "/bao-cao/1/nguon/?f=zzz", "/cong-khai/?nam=abc&trang=abc", f"/cong-khai/?nam={BIG}&don_vi=<x>", f"/cong-khai/{BIG}/",
        f"/cong-khai/{BIG}/pdf/", "/cong-khai/1/zzz/", "/bao-cao/1/nguon/?f=" + "x" * 1000, f"/api/units/{BIG}/", "/api/units/05115/?on=garbage",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("url", MALFORMED)
def test_malformed_parameters_never_crash(all_demos: None, district_officer: Any, nam_tuan_officer: Any, client_for: Any, url: str) -> None:
    for user in (district_officer, nam_tuan_officer):
        status = client_for(user).get(url).status_code  # the test client re-raises any exception a view lets through
        assert status in {200, 302, 400, 403, 404, 405}, (user.username, url, status)


@pytest.mark.django_db
def test_nam_tuan_cannot_fetch_hong_viet_evidence_or_issued_report(all_demos: None, nam_tuan_officer: Any, hong_viet_officer: Any,  # noqa: F811
                                                                  client_for: Any) -> None:
    """The files: a Hồng Việt evaluation's evidence and an issued version of a Hồng Việt report are 404 for
    Nam Tuấn (also through Nam Tuấn's own evaluation id in the URL), and reachable for Hồng Việt."""
    from xhht.learning_models.models import Evaluation, Status
    from xhht.learning_models.services import evidence_attach
    from xhht.official_reports.models import Report
    from xhht.official_reports.services import report_create, report_issue
    from xhht.units.models import Unit

    from xhht.learning_models.models import Participant
    from xhht.learning_models.services import evaluation_start, participant_register

    ev = Evaluation.objects.filter(registration__participant__commune_id=HV, status__in=[Status.DRAFT, Status.SUBMITTED]).order_by("pk").first()
    if ev is None:
        participant_register(actor=hong_viet_officer, kind="family", commune=Unit.objects.get(code=HV), name="Gia đình thử", year=2020)
        participant = Participant.objects.get(commune_id=HV, name="Gia đình thử")
        ev = evaluation_start(actor=hong_viet_officer, participant=participant, year=2020)
    evid = evidence_attach(actor=hong_viet_officer, evaluation=ev, name="bien-ban.pdf", content=b"%PDF-1.4 Hong Viet only")
    kind = Report.objects.order_by("pk").values_list("kind", flat=True).first()
    report = report_create(actor=hong_viet_officer, unit=Unit.objects.get(code=HV), period="2016-2020", kind=kind)
    # The commune's registers are not all in the demo: issued with a reason, as the checklist asks (issue 14).
    issued = report_issue(actor=hong_viet_officer, report=report, pdf=False, gap_reason="Kiểm thử quyền truy cập tệp")
    own = client_for(hong_viet_officer)
    assert own.get(f"/mo-hinh-hoc-tap/danh-gia/{ev.pk}/minh-chung/{evid.pk}/").status_code == 200
    assert own.get(f"/bao-cao/{report.pk}/phien-ban/{issued.version}/docx/").status_code == 200
    c = client_for(nam_tuan_officer)
    own_ev = Evaluation.objects.filter(registration__participant__commune_id="05115").order_by("pk").first()
    urls = [f"/mo-hinh-hoc-tap/danh-gia/{ev.pk}/minh-chung/{evid.pk}/", f"/bao-cao/{report.pk}/",
            f"/bao-cao/{report.pk}/phien-ban/{issued.version}/", f"/bao-cao/{report.pk}/nguon/"]
    urls += [f"/bao-cao/{report.pk}/phien-ban/{issued.version}/{fmt}/" for fmt in ("docx", "pdf", "xlsx", "json")]
    if own_ev:
        urls.append(f"/mo-hinh-hoc-tap/danh-gia/{own_ev.pk}/minh-chung/{evid.pk}/")
    for url in urls:
        assert c.get(url).status_code == 404, url


@pytest.mark.django_db
def test_nam_tuan_cannot_move_or_create_a_record_into_hong_viet(all_demos: None, nam_tuan_officer: Any, client_for: Any) -> None:  # noqa: F811
    from xhht.activities.models import ClcTopic
    from xhht.activities.registers import BY_SLUG, record_to_row

    c = client_for(nam_tuan_officer)
    record = ClcTopic.objects.filter(unit_id="05115").order_by("pk").first()
    assert record is not None
    data = {k: "" if v is None else str(v) for k, v in record_to_row(BY_SLUG["chuyen-de"], record).items()}
    data.update(unit_code=HV, title="Chuyên đề chuyển sang xã khác")
    assert c.post(f"/hoat-dong/chuyen-de/{record.pk}/", data).status_code == 403
    record.refresh_from_db()
    assert record.unit_id == "05115"
    assert c.post("/hoat-dong/chuyen-de/them/", data).status_code == 403
    assert not ClcTopic.objects.filter(title="Chuyên đề chuyển sang xã khác").exists()


@pytest.mark.django_db
def test_own_report_cannot_pull_another_communes_figures(all_demos: None, nam_tuan_officer: Any, client_for: Any) -> None:  # noqa: F811
    """A placeholder naming Hồng Việt (in a section or in the trace URL) of Nam Tuấn's own report is an error, not Hồng Việt's figure."""
    from xhht.official_reports.models import Report
    from xhht.official_reports.services import report_create
    from xhht.units.models import Unit

    kind = Report.objects.order_by("pk").values_list("kind", flat=True).first()
    report = report_create(actor=nam_tuan_officer, unit=Unit.objects.get(code="05115"), period="2016-2020", kind=kind)
    c = client_for(nam_tuan_officer)
    r = c.get(f"/bao-cao/{report.pk}/nguon/", {"f": f"value:clc_topics|unit={HV}|period=2019-2020"})
    assert r.status_code == 200
    assert "không thuộc phạm vi của báo cáo" in r.content.decode()
