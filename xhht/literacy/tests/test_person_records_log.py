"""Issue 12, hole 7: reads and exports of personal records are logged and shown to the education office;
a self-evaluation note is audited like the scores."""

from __future__ import annotations

from typing import Any


from xhht.audit.models import AuditEntry
from xhht.audit.services import PERSON_RECORDS_READ
from xhht.demo.foundation import NAM_TUAN


def test_reading_a_communes_person_list_is_logged_and_shown_to_the_district(survey: None, client_for: Any, nam_tuan_officer: Any,
                                                                             district_officer: Any, hong_viet_officer: Any) -> None:
    from xhht.literacy.models import SurveyPerson

    client = client_for(nam_tuan_officer)
    assert client.get(f"/xoa-mu-chu/{NAM_TUAN}/2019/nguoi/", {"q": "nguyen"}).status_code == 200
    entry = AuditEntry.objects.filter(action=PERSON_RECORDS_READ, unit_code=NAM_TUAN).latest("id")
    assert entry.actor == nam_tuan_officer and entry.changes["count"][1] >= 1 and "nguyen" in entry.note
    person = SurveyPerson.objects.filter(commune_id=NAM_TUAN, year=2019).first()
    assert person is not None
    client.get(f"/xoa-mu-chu/{NAM_TUAN}/2019/nguoi/{person.person_id}/")
    single = AuditEntry.objects.filter(action=PERSON_RECORDS_READ, unit_code=NAM_TUAN).latest("id")
    assert single.changes["count"] == [None, 1] and person.full_name in single.object_repr
    # The district's education office sees who read Nam Tuấn's people; a neighbouring commune does not.
    log = client_for(district_officer).get("/nhat-ky/").content.decode()
    # The change log tells it as a Vietnamese sentence (issue 15), not by the action's code.
    said = "xem danh sách người trong phiếu điều tra"
    assert said in log and "bản ghi cá nhân" in log
    assert said not in client_for(hong_viet_officer).get("/nhat-ky/").content.decode()


def test_a_refused_read_logs_nothing(survey: None, client_for: Any, hong_viet_officer: Any) -> None:
    assert client_for(hong_viet_officer).get(f"/xoa-mu-chu/{NAM_TUAN}/2019/nguoi/").status_code == 404
    assert not AuditEntry.objects.filter(action=PERSON_RECORDS_READ, actor=hong_viet_officer).exists()
