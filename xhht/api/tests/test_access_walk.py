"""Access walk over EVERY API route (issue 17), like the web's access audit (xhht/core/tests/test_access_audit.py).

The routes are enumerated from the ninja API's own URL patterns, so a new route is walked without editing this test.
Each role's token calls each route (each method) aimed at a unit outside the caller's reach (and that unit's objects):
the answer is 403/404 (or 400/405), never data, never a 500, and nothing is written. Every 200 answer aimed at the
caller's own unit, and every list, is searched for unit codes: each must be one the caller may view. An anonymous
caller gets 401 everywhere but the public routes.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

HV, NT, DISTRICT, PROVINCE = "05113", "05115", "051", "04"
REFUSED = {400, 403, 404, 405, 409}
# Imports that are jobs (xhht worker): a file naming another unit is taken (202) and its job refuses it whole.
JOB_IMPORTS = {"literacy/imports", "activities/{slug}/import"}


def api_routes() -> list[tuple[str, list[str]]]:
    """(route with {params}, methods) of every operation, read from the API's URL patterns."""
    from xhht.api.main import api, route_patterns

    methods_of = dict(route_patterns())
    patterns, _, _ = api.urls
    out = []
    for pattern in patterns:
        route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))
        if route in ("schema", "") or any(r == route for r, _ in out):
            continue  # the OpenAPI schema (public, test_schema.py), ninja's root name, a path's second method
        out.append((route, methods_of[route]))  # a URL the routers do not know would fail here
    return out


def is_public(route: str) -> bool:
    return route.startswith("public/")


def fill(route: str, target: str, objects: dict[str, Any]) -> str:
    """The route aimed at ``target``: its code, and the objects (evaluation, participant, activity record) of that unit."""
    own = objects["of"].get(target, objects["of"][HV])
    values = {"code": target, "reporter": target, "form_code": "commune", "period": "2020", "year": "2020", "kind": "family",
              "slug": objects["slug"], "pk": str(objects["report_pk"]), "version": "1", "fmt": "docx", "job": str(objects["job"]),
              "evaluation": str(own["evaluation"]), "participant": str(own["participant"]), "record": str(own["record"]),
              "evidence": str(own["evidence"])}
    if "/learners" in route:  # a vocational class's learner list: that register, that unit's class
        values.update(slug="day-nghe", record=str(own["class"]))

    def one(match: re.Match[str]) -> str:
        return values[match.group(1)]

    return re.sub(r"\{(\w+)\}", one, route)


def unit_codes(data: Any) -> set[str]:
    """Every unit code in a JSON answer: values of the keys "unit", "*_unit"."""
    found: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if (key == "unit" or key.endswith("_unit")) and isinstance(value, str):
                found.add(value)
            else:
                found |= unit_codes(value)
    elif isinstance(data, list):
        for item in data:
            found |= unit_codes(item)
    return found


def bodies(route: str, target: str, objects: dict[str, Any]) -> dict[str, Any]:
    """A body each write would accept were it aimed at the caller's own unit: only the access checks may refuse it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    if route.startswith("learning-models/"):
        own = objects["of"].get(target, objects["of"][HV])
        if route.endswith("registrations"):
            return {"json": {"kind": "family", "name": "Hộ kiểm thử quyền", "village": "xóm Kiểm Thử"}}
        if route.endswith("registrations/import"):
            return {"data": {"file": SimpleUploadedFile("dang-ky.csv", "Loại,Tên,Thôn xóm\nGia đình,Hộ kiểm thử tệp,xóm Kiểm Thử\n".encode())}}
        if route.endswith("households"):
            return {"json": {"village": "xóm Kiểm Thử", "households": 12}}
        if route.endswith("self-evaluation"):
            return {"json": {"values": {}, "note": "kiểm thử quyền"}}
        if route.endswith("evidence"):
            return {"data": {"indicator": "", "file": SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 kiem thu", "application/pdf")}}
        if route.endswith("inspection-team"):
            return {"json": {"members": [], "decision_number": "99/QĐ-KT"}}
        if route.endswith("review"):
            return {"json": {"changes": {}, "note": "kiểm thử quyền"}}
        if "/recognitions/" in route:
            return {"json": {"number": "99/QĐ-KT", "decided_on": "2020-12-30", "signer": "Người ký", "evaluations": [own["evaluation"]]}}
        return {"json": {}}
    if route.endswith("drafts"):
        return {"json": {"form": "commune", "reporter": target, "period": "2020", "version": 0, "values": {}}}
    if route.endswith("imports"):
        csv = f"commune_code,household_id,person_id,sex,birth_date,highest_grade_completed\n{target},H1,P1,M,1990-01-01,9\n"
        return {"data": {"year": "2019", "file": SimpleUploadedFile("nguoi.csv", csv.encode())}}
    if route.endswith("learners/import"):  # a vocational class's learner list, as the class's learner page takes it
        return {"data": {"file": SimpleUploadedFile("hoc-vien.csv", "Họ và tên,Năm sinh\nHọc viên thay thế,1991\n".encode())}}
    if route.startswith("activities/") and route.endswith("/import"):  # a row of the walked register (centre staff) in the target unit
        return {"data": {"file": SimpleUploadedFile("can-bo.csv", f"unit_code,school_year,managers,accountants_treasurers\n{target},2012-2013,9,9\n".encode())}}
    if route.startswith("activities/"):
        return {"json": {"unit_code": target}}
    if route.endswith(("approve", "return")):
        return {"json": {"comment": "kiểm thử"}}
    if route.endswith("submit"):
        return {"json": {"comments": {}}}
    return {"json": {"version": 0, "values": {}}}


def _unit_objects(code: str, slug: str) -> dict[str, int]:
    """A family registered in 2020 with its draft evaluation and an evidence file, a record of the walked register, and a
    vocational class with a learner on its list, in unit ``code``."""
    from datetime import date

    from xhht.activities.models import VocationalClass, VocationalLearner
    from xhht.activities.registers import BY_SLUG, centre_of
    from xhht.learning_models.models import ModelKind, Participant, Registration
    from xhht.learning_models.services import evaluation_start, evidence_attach
    from xhht.organisations.models import Organisation, OrganisationKind
    from xhht.units.models import Unit

    unit = Unit.objects.get(code=code)
    participant = Participant.objects.create(kind=ModelKind.FAMILY, commune=unit, name="Hộ kiểm thử quyền", village="xóm Ngoài")
    Registration.objects.create(participant=participant, year=2020, registered_on=date(2020, 1, 15))
    evaluation = evaluation_start(actor=None, participant=participant, year=2020)
    spec = BY_SLUG[slug]
    assert spec.owner == "centre" and spec.key == "clc_staffing", "the walk's records are of the first register: adapt below"
    centre = centre_of(code) or Organisation.objects.create(unit=unit, kind=OrganisationKind.COMMUNITY_LEARNING_CENTRE, name=f"TTHTCĐ {code}")
    record, _ = spec.model._default_manager.get_or_create(unit=unit, centre=centre, school_year="2012-2013",
                                                          defaults={"managers": 2, "accountants_treasurers": 1})
    evidence = evidence_attach(actor=None, evaluation=evaluation, name="bien-ban.pdf", content=b"%PDF-1.4 kiem thu quyen",
                               content_type="application/pdf")
    klass = VocationalClass.objects.create(unit=unit, year=2012, name="Lớp kiểm thử quyền", trade="Trồng trọt", sector="agriculture",
                                           level="so_cap", funding_source="state", learners=1)
    VocationalLearner.objects.create(vocational_class=klass, full_name="Học viên kiểm thử quyền", birth_year=1990)
    return {"participant": participant.pk, "evaluation": evaluation.pk, "record": record.pk, "evidence": evidence.pk, "class": klass.pk}


@pytest.fixture
def objects(api_demos: None, hong_viet_officer: Any, settings: Any, tmp_path: Any) -> dict[str, Any]:
    """Objects of units outside the callers' reach: Hồng Việt's report, an import job Hồng Việt's officer started; for
    Hồng Việt, Nam Tuấn and the province (outside the district): a learning model, its evaluation and evidence, an
    activity record, a vocational class with its learner list."""
    settings.MEDIA_ROOT = tmp_path
    settings.DATA_DIR = tmp_path  # the job uploads
    settings.XHHT_JOBS_INLINE = True  # an import's job runs in the request: its outcome is the walk's to check
    from xhht.activities.registers import REGISTERS
    from xhht.jobs.models import Job
    from xhht.official_reports.models import Report

    report = Report.objects.exclude(unit_id=NT).order_by("pk").first()
    job = Job.objects.create(handler="xhht.literacy.jobs.persons_import_job", params={"year": 2019, "file": "x.csv"}, user=hong_viet_officer,
                             unit_code=HV, state="done", result={"rows": 1})
    slug = sorted(s.slug for s in REGISTERS.values())[0]
    return {"slug": slug, "report_pk": report.pk if report else 999999, "job": job.pk,
            "of": {code: _unit_objects(code, slug) for code in (HV, NT, PROVINCE)}}


def test_every_route_is_walked() -> None:
    routes = api_routes()
    assert len(routes) >= 20
    from xhht.api.main import route_patterns

    assert sorted(r for r, _ in routes) == sorted(r for r, _ in route_patterns())


@pytest.mark.django_db
def test_anonymous_gets_401_except_public_routes(objects: dict[str, Any], api: Any) -> None:
    from xhht.audit.models import AuditEntry

    before = AuditEntry.objects.count()
    wrong = []
    for route, methods in api_routes():
        url = fill(route, HV, objects)
        for method in methods:
            r = api(method, url, **(bodies(route, HV, objects) if method != "GET" else {}))
            expected = {200, 404} if is_public(route) else {401}
            if r.status_code not in expected or r["Content-Type"] not in ("application/json", "application/pdf") and r.status_code != 200:
                wrong.append(f"{method} {url} → {r.status_code}")
            if r.status_code == 401:
                assert r.json()["detail"] and r.json()["field"] == "Authorization"
    assert wrong == []
    assert AuditEntry.objects.count() == before


def _cast(request: Any) -> list[tuple[str, Any, str | None]]:
    """(role, user, a unit outside its reach or None when it reads everything)."""
    return [
        ("commune Nam Tuấn", request.getfixturevalue("nam_tuan_officer"), HV),
        ("commune Hồng Việt", request.getfixturevalue("hong_viet_officer"), NT),
        ("district", request.getfixturevalue("district_officer"), PROVINCE),
        ("viewer", request.getfixturevalue("viewer"), PROVINCE),
        ("organisation", request.getfixturevalue("organisation_officer"), PROVINCE),
        ("province", request.getfixturevalue("province_officer"), None),
    ]


@pytest.mark.django_db
def test_each_role_reaches_nothing_outside_its_scope(objects: dict[str, Any], request: Any, token_for: Any, api: Any) -> None:
    from xhht.accounts.access import can_view_unit
    from xhht.audit.models import AuditEntry
    from xhht.literacy.models import SurveyPerson

    from xhht.activities.models import ClcStaffing
    from xhht.audit.services import PERSON_RECORDS_EXPORT, PERSON_RECORDS_READ

    persons, staffing = SurveyPerson.objects.count(), ClcStaffing.objects.count()
    read_logs: dict[str, int] = {}
    wrong: list[str] = []
    answered: dict[str, int] = {}
    for role, user, foreign in _cast(request):
        token = token_for(user)
        before = AuditEntry.objects.count()
        own = user.unit_id
        for route, methods in api_routes():
            if is_public(route):
                continue
            for method in methods:
                # Aimed at the caller's own unit: whatever answers 200 names only units the caller may view.
                if method == "GET":
                    url = fill(route, own, objects)
                    r = api(method, url, token)
                    answered[role] = answered.get(role, 0) + (r.status_code == 200)
                    if r.status_code >= 500:
                        wrong.append(f"{role}: {method} {url} → {r.status_code}")
                    elif r.status_code == 200 and r["Content-Type"] == "application/json":
                        leaked = {c for c in unit_codes(r.json()) if not can_view_unit(user, c)}
                        if leaked:
                            wrong.append(f"{role}: {method} {url} names {sorted(leaked)}")
                if foreign is None or "{" not in route:
                    continue
                url = fill(route, foreign, objects)
                r = api(method, url, token, **(bodies(route, foreign, objects) if method != "GET" else {}))
                aimed_at_unit = any(p in route for p in ("{code}", "{reporter}", "{evaluation}", "{record}", "{evidence}")) or method != "GET"
                if route in JOB_IMPORTS and r.status_code == 202:  # as on the web: a job, rejected naming the unit
                    if r.json()["state"] != "rejected":
                        wrong.append(f"{role}: {method} {url} → {r.json()['state']}")
                elif r.status_code >= 500 or (aimed_at_unit and r.status_code not in REFUSED):
                    wrong.append(f"{role}: {method} {url} → {r.status_code}")
                elif r.status_code == 200 and r["Content-Type"] == "application/json":
                    leaked = {c for c in unit_codes(r.json()) if not can_view_unit(user, c)}
                    if leaked:
                        wrong.append(f"{role}: {method} {url} names {sorted(leaked)}")
        # Writes aimed outside: nothing written (token creation itself is the only audit row of this role's walk). The
        # reads of personal records it made (learner lists) are logged, as on the web: each of a unit the role may view.
        logged = AuditEntry.objects.filter(pk__gt=0).order_by("pk")[before:]
        reads = [e for e in logged if e.action in (PERSON_RECORDS_READ, PERSON_RECORDS_EXPORT)]
        written = [e.action for e in logged if e.action not in (PERSON_RECORDS_READ, PERSON_RECORDS_EXPORT)]
        if written:
            wrong.append(f"{role}: wrote {written}")
        wrong += [f"{role}: read logged for {e.unit_code}" for e in reads if not can_view_unit(user, e.unit_code) or e.actor_id != user.pk]
        read_logs[role] = len(reads)
    assert wrong == []
    assert SurveyPerson.objects.count() == persons and ClcStaffing.objects.count() == staffing
    from xhht.activities.models import VocationalLearner
    from xhht.learning_models.models import Evaluation, InspectionTeam, Participant

    for code, own in objects["of"].items():  # the objects aimed at are as they were: not changed, not deleted
        assert ClcStaffing.objects.filter(pk=own["record"], managers=2).exists(), code
        assert Evaluation.objects.filter(pk=own["evaluation"], status="draft", self_note="").exists(), code
        assert Participant.objects.filter(commune_id=code, name="Hộ kiểm thử quyền").count() == 1, code
        assert Evaluation.objects.get(pk=own["evaluation"]).evidence.count() == 1, code
        assert list(VocationalLearner.objects.filter(vocational_class=own["class"]).values_list("full_name", flat=True)) == [
            "Học viên kiểm thử quyền"], code
    assert not InspectionTeam.objects.filter(district_id__in=(HV, NT, PROVINCE)).exists()
    # Not a vacuous walk: aimed at their own unit, each role read most routes (units, indicators, reports, lists…); the
    # roles read their own (or a visible) class's learner list and its workbook, each read logged.
    assert all(count >= 10 for count in answered.values()), answered
    assert all(count == 2 for role, count in read_logs.items() if role != "organisation"), read_logs


@pytest.mark.django_db
def test_other_commune_job_and_report_are_404(objects: dict[str, Any], nam_tuan_officer: Any, token_for: Any, api: Any) -> None:
    token = token_for(nam_tuan_officer)
    assert api("get", f"literacy/imports/{objects['job']}", token).status_code == 404
    assert api("get", f"official-reports/{objects['report_pk']}", token).status_code == 404
    assert api("get", f"units/{HV}", token).status_code == 404
    assert api("put", f"reports/commune/{HV}/2020", token, json={"version": 0, "values": {}}).status_code == 404
