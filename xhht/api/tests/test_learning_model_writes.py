"""Learning-model writes through the API (issue 17): the web's cycle (register, self-evaluate, submit, review, recognise)
through the same services, each refusal with its status and field, nothing written on a refusal, each write audited
with the token's owner."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xhht.api.tests.refusals import audit_count, refused

NT, HV, DISTRICT = "05115", "05113", "051"
YEAR = 2021  # no demo evaluates this year


def _values(total: int) -> dict[str, int]:
    from xhht.learning_models.tests.test_scoring import tt44_values

    return {code: int(value) for code, value in tt44_values(total).items()}


@pytest.mark.django_db
def test_a_commune_evaluation_through_the_api_as_on_the_web(demo: None, nam_tuan_officer: Any, hong_viet_officer: Any,
                                                            district_officer: Any, viewer: Any, token_for: Any, api: Any) -> None:
    from xhht.accounts.tokens import api_token_create
    from xhht.audit.models import AuditEntry
    from xhht.learning_models.models import Evaluation, Recognition
    from xhht.learning_models.services import inspection_team_set
    from xhht.units.models import Unit

    created = api_token_create(actor=nam_tuan_officer, user=nam_tuan_officer, name="kiểm thử")
    commune, neighbour, district, look = created.secret, token_for(hong_viet_officer), token_for(district_officer), token_for(viewer)

    # Register the commune itself (its name is the commune's, as on the web); registering again returns the same row.
    r = api("post", f"learning-models/{NT}/{YEAR}/registrations", commune, json={"kind": "commune_community"})
    assert r.status_code == 201, r.content
    registration = r.json()
    assert registration["name"] == Unit.objects.get(code=NT).full_name and registration["evaluation"] is None
    entry = AuditEntry.objects.filter(action="learning_registration_create").order_by("-pk").first()
    assert entry is not None and entry.actor == nam_tuan_officer and entry.unit_code == NT and f"khóa #{created.token.pk}" in entry.note
    again = api("post", f"learning-models/{NT}/{YEAR}/registrations", commune, json={"kind": "commune_community"})
    assert again.status_code == 200 and again.json()["id"] == registration["id"]
    listed = api("get", f"learning-models/{NT}/{YEAR}/registrations", commune).json()
    assert [i["id"] for i in listed["items"]] == [registration["id"]]

    # Open the evaluation: the rubric in force, every indicator listed.
    participant = registration["participant_id"]
    refused(api("post", f"learning-models/participants/{participant}/{YEAR}/evaluation", neighbour), 404)
    refused(api("post", f"learning-models/participants/{participant}/{YEAR}/evaluation", look), 403)
    refused(api("post", f"learning-models/participants/{participant}/{YEAR + 1}/evaluation", commune), 400, "year")  # not registered
    r = api("post", f"learning-models/participants/{participant}/{YEAR}/evaluation", commune)
    assert r.status_code == 201, r.content
    ev = r.json()
    assert ev["rubric"] == "tt44-2014" and ev["status"] == "draft" and ev["may_self_evaluate"] and not ev["may_review"]
    assert {i["code"] for i in ev["indicators"]} >= {"c1", "c2"}
    assert api("post", f"learning-models/participants/{participant}/{YEAR}/evaluation", commune).status_code == 200
    url = f"learning-models/evaluations/{ev['id']}"

    # Self-evaluation: refusals write nothing, then the web's values are saved.
    before = audit_count()
    refused(api("put", f"{url}/self-evaluation", commune, json={"values": {"c1": 5, "c2": 11}}), 400, "values.c2")
    refused(api("put", f"{url}/self-evaluation", commune, json={"values": {"khong_co": 1}}), 400, "values.khong_co")
    refused(api("put", f"{url}/self-evaluation", commune, json={"values": {"c1": "năm"}}), 400, "values.c1")
    refused(api("put", f"{url}/self-evaluation", commune, json={"values": {"c1": -1}}), 400, "values.c1")
    refused(api("put", f"{url}/self-evaluation", commune, json={"values": {"c1": 5}, "notes": {"c1": "x" * 501}}), 400, "notes.c1")
    refused(api("put", f"{url}/self-evaluation", commune, json={"values": []}), 400, "values")
    refused(api("put", f"{url}/self-evaluation", neighbour, json={"values": {"c1": 5}}), 404)
    refused(api("put", f"{url}/self-evaluation", look, json={"values": {"c1": 5}}), 403)
    refused(api("put", f"{url}/self-evaluation", None, json={"values": {"c1": 5}}), 401, "Authorization")
    assert audit_count() == before and not Evaluation.objects.get(pk=ev["id"]).scores.filter(indicator="c1").exists()
    refused(api("post", f"{url}/submit", commune), 400)  # indicators missing
    r = api("put", f"{url}/self-evaluation", commune, json={"values": _values(110), "notes": {"c1": "Biên bản họp"}, "note": "Tự đánh giá"})
    assert r.status_code == 200, r.content
    assert r.json()["self_total"] == "110.00" and r.json()["self_outcome"] == "kha" and r.json()["self_note"] == "Tự đánh giá"
    assert next(i for i in r.json()["indicators"] if i["code"] == "c1")["self_note"] == "Biên bản họp"
    assert AuditEntry.objects.filter(action="learning_self_score", actor=nam_tuan_officer, object_id=str(ev["id"])).exists()

    # Submit: then the self-evaluation is closed (409), and only the district's inspection team reviews.
    refused(api("post", f"{url}/submit", look), 403)
    r = api("post", f"{url}/submit", commune)
    assert r.status_code == 200 and r.json()["status"] == "submitted", r.content
    refused(api("post", f"{url}/submit", commune), 409, "status")
    refused(api("put", f"{url}/self-evaluation", commune, json={"values": {"c1": 9}}), 409, "status")
    before = audit_count()
    refused(api("post", f"{url}/review", commune, json={"changes": {}}), 403)  # its own commune: not the inspection team
    refused(api("post", f"{url}/review", district, json={"changes": {}}), 403)  # not on the team yet
    refused(api("post", f"{url}/review", neighbour, json={"changes": {}}), 404)
    assert audit_count() == before
    inspection_team_set(actor=district_officer, district=Unit.objects.get(code=DISTRICT), year=YEAR, members=[district_officer])
    assert api("get", url, district).json()["may_review"] is True
    before = audit_count()
    refused(api("post", f"{url}/review", district, json={"changes": {"c1": {"value": 9}}}), 400, "changes.c1")  # no reason
    refused(api("post", f"{url}/review", district, json={"changes": {"c1": {"value": 12, "reason": "x"}}}), 400, "changes.c1")
    refused(api("post", f"{url}/review", district, json={"changes": {"c1": {"reason": "x"}}}), 400, "changes.c1.value")
    assert audit_count() == before and Evaluation.objects.get(pk=ev["id"]).status == "submitted"
    r = api("post", f"{url}/review", district, json={"changes": {"c1": {"value": 9, "reason": "Thiếu biên bản"}}, "note": "Đoàn kiểm tra"})
    assert r.status_code == 200, r.content
    assert (r.json()["status"], r.json()["total"], r.json()["outcome"]) == ("reviewed", "109.00", "kha")
    c1 = next(i for i in r.json()["indicators"] if i["code"] == "c1")
    assert (c1["self_value"], c1["reviewed_value"], c1["review_reason"]) == ("10.00", "9.00", "Thiếu biên bản")
    assert AuditEntry.objects.filter(action="learning_evaluation_review", actor=district_officer).exists()
    refused(api("post", f"{url}/review", district, json={"changes": {}}), 409, "status")

    # Recognition by the district: forged or foreign evaluations, a missing signer, a repeated number refused.
    decision = {"number": "15/QĐ-UBND", "decided_on": "2021-12-30", "signer": "Chủ tịch UBND huyện", "evaluations": [ev["id"]]}
    recognitions = Recognition.objects.count()
    refused(api("post", f"learning-models/{DISTRICT}/{YEAR}/recognitions/commune_community", commune, json=decision), 404)
    refused(api("post", f"learning-models/{DISTRICT}/{YEAR}/recognitions/commune_community", look, json=decision), 403)
    refused(api("post", f"learning-models/{NT}/{YEAR}/recognitions/commune_community", district, json=decision), 404)  # not by a commune
    refused(api("post", f"learning-models/{DISTRICT}/{YEAR}/recognitions/khong_co", district, json=decision), 404, "kind")
    refused(api("post", f"learning-models/{DISTRICT}/{YEAR}/recognitions/commune_community", district,
                 json={**decision, "evaluations": [ev["id"], 99999999]}), 400, "evaluations")
    refused(api("post", f"learning-models/{DISTRICT}/{YEAR}/recognitions/commune_community", district,
                 json={**decision, "signer": " "}), 400, "signer")
    refused(api("post", f"learning-models/{DISTRICT}/{YEAR}/recognitions/commune_community", district,
                 json={**decision, "decided_on": "30/12/2021"}), 400, "decided_on")
    assert Recognition.objects.count() == recognitions
    r = api("post", f"learning-models/{DISTRICT}/{YEAR}/recognitions/commune_community", district, json=decision)
    assert r.status_code == 201, r.content
    assert r.json()["number"] == "15/QĐ-UBND" and [e["evaluation"] for e in r.json()["entries"]] == [ev["id"]]
    assert AuditEntry.objects.filter(action="learning_recognition_create", actor=district_officer, unit_code=DISTRICT).exists()
    listed = api("get", f"learning-models/{DISTRICT}/{YEAR}/recognitions/commune_community", district).json()
    assert [i["decision_number"] for i in listed["items"]] == ["15/QĐ-UBND"]
    refused(api("post", f"learning-models/{DISTRICT}/{YEAR}/recognitions/commune_community", district, json=decision),
             400, "evaluations")  # recognised: no longer a candidate


@pytest.mark.django_db
def test_registration_refusals_write_nothing(demo: None, nam_tuan_officer: Any, hong_viet_officer: Any, district_officer: Any,
                                            viewer: Any, token_for: Any, api: Any) -> None:
    from xhht.learning_models.models import Participant, Registration

    commune, neighbour, district, look = (token_for(u) for u in (nam_tuan_officer, hong_viet_officer, district_officer, viewer))
    url = f"learning-models/{NT}/{YEAR}/registrations"
    family = {"kind": "family", "name": "Hộ ông Nông Văn E", "village": "xóm Nà Vại"}
    before, participants = audit_count(), Participant.objects.count()
    refused(api("post", url, None, json=family), 401, "Authorization")
    refused(api("post", url, neighbour, json=family), 404)  # another commune's token
    refused(api("post", url, look, json=family), 403)  # a viewer's token
    refused(api("post", url, commune, json={**family, "kind": "gia_dinh"}), 400, "kind")
    refused(api("post", url, commune, json={**family, "name": "  "}), 400, "name")
    refused(api("post", url, commune, json={**family, "name": "H" * 201}), 400, "name")
    refused(api("post", url, commune, json={**family, "village": "x" * 121}), 400, "village")
    refused(api("post", url, commune, json={"name": "Hộ X"}), 400, "kind")
    refused(api("post", url, commune, json=[family]), 400)
    refused(api("post", f"learning-models/{NT}/1800/registrations", commune, json=family), 400, "year")
    refused(api("post", f"learning-models/{DISTRICT}/{YEAR}/registrations", district, json=family), 400, "code")  # not a commune
    refused(api("put", f"learning-models/{NT}/{YEAR}/households", commune, json={"village": "xóm Nà Vại", "households": -3}), 400,
             "households")
    refused(api("put", f"learning-models/{NT}/{YEAR}/households", commune, json={"village": "xóm Nà Vại", "households": "ba"}), 400,
             "households")
    refused(api("put", f"learning-models/{NT}/{YEAR}/households", look, json={"village": "xóm Nà Vại", "households": 3}), 403)
    refused(api("put", f"learning-models/{NT}/{YEAR}/households", neighbour, json={"village": "xóm Nà Vại", "households": 3}), 404)
    bad_file = "Loại,Tên,Thôn xóm\nGia đình,Hộ A,xóm Nà Vại\nmèo,Hộ B,xóm Nà Vại\n".encode()
    body = refused(api("post", f"{url}/import", commune, data={"file": SimpleUploadedFile("dang-ky.csv", bad_file)}), 400, "file")
    assert "mèo" in body["detail"]
    good_file = "Loại,Tên,Thôn xóm\nGia đình,Hộ A,xóm Nà Vại\nDòng họ,Dòng họ Nông,\n".encode()
    refused(api("post", f"{url}/import", look, data={"file": SimpleUploadedFile("dang-ky.csv", good_file)}), 403)
    refused(api("post", f"{url}/import", neighbour, data={"file": SimpleUploadedFile("dang-ky.csv", good_file)}), 404)
    assert audit_count() == before and Participant.objects.count() == participants

    r = api("post", url, district, json=family)  # the district's officer may register for its communes, as on the web
    assert r.status_code == 201 and r.json()["unit"] == NT and r.json()["village"] == "xóm Nà Vại", r.content
    r = api("put", f"learning-models/{NT}/{YEAR}/households", commune, json={"village": "xóm Nà Vại", "households": 40})
    assert r.status_code == 200 and r.json()["households"] == 40
    r = api("post", f"{url}/import", commune, data={"file": SimpleUploadedFile("dang-ky.csv", good_file)})
    assert r.status_code == 200 and r.json() == {"rows": 2, "created": 2, "existing": 0}, r.content
    assert Registration.objects.filter(participant__commune_id=NT, year=YEAR).count() == 3


@pytest.mark.django_db
def test_evidence_through_the_api(demo: None, nam_tuan_officer: Any, hong_viet_officer: Any, viewer: Any, token_for: Any, api: Any,
                                  settings: Any, tmp_path: Any) -> None:
    from xhht.learning_models.models import Evidence

    settings.MEDIA_ROOT = tmp_path
    commune = token_for(nam_tuan_officer)
    reg = api("post", f"learning-models/{NT}/2020/registrations", commune, json={"kind": "family", "name": "Hộ bà Lục Thị F"}).json()
    ev = api("post", f"learning-models/participants/{reg['participant_id']}/2020/evaluation", commune).json()  # QĐ 448: 2016–2020
    url = f"learning-models/evaluations/{ev['id']}/evidence"

    def pdf(name: str = "bien-ban.pdf", content: bytes = b"%PDF-1.4 minh chung") -> dict[str, Any]:
        return {"file": SimpleUploadedFile(name, content, "application/pdf"), "indicator": "c1_1"}

    refused(api("post", url, token_for(hong_viet_officer), data=pdf()), 404)
    refused(api("post", url, token_for(viewer), data=pdf()), 403)
    refused(api("post", url, commune, data={**pdf(), "indicator": "khong_co"}), 400, "indicator")
    refused(api("post", url, commune, data=pdf("virus.exe", b"MZ")), 400, "file")
    refused(api("post", url, commune, data={"indicator": "c1_1"}), 400, "file")
    assert not Evidence.objects.filter(evaluation_id=ev["id"]).exists()
    r = api("post", url, commune, data=pdf())
    assert r.status_code == 201 and r.json()["name"] == "bien-ban.pdf" and r.json()["indicator"] == "c1_1", r.content
    assert Evidence.objects.filter(evaluation_id=ev["id"]).count() == 1
