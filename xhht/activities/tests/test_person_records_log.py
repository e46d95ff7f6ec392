"""Issue 12, hole 7: reads and exports of personal records are logged and shown to the education office;
a self-evaluation note is audited like the scores."""

from __future__ import annotations

from pathlib import Path
from typing import Any


from xhht.audit.models import AuditEntry
from xhht.audit.services import PERSON_RECORDS_EXPORT, PERSON_RECORDS_READ
from xhht.demo.foundation import NAM_TUAN


def test_learner_list_read_and_export_are_logged(activities_demo: None, client_for: Any, district_officer: Any, tmp_path: Path) -> None:
    from xhht.activities.learners import vocational_learners_import
    from xhht.activities.models import VocationalClass

    klass = VocationalClass.objects.filter(unit_id=NAM_TUAN).first()
    assert klass is not None
    path = tmp_path / "hv.csv"
    path.write_text("Họ và tên,Năm sinh,Giới tính,Dân tộc,Dân tộc thiểu số,Hộ nghèo,Đối tượng chính sách,Người khuyết tật\n"
                    "Nông Văn A,1985,Nam,Tày,,1,,\nHoàng Thị B,1990,Nữ,Nùng,,,1,\n", encoding="utf-8")
    vocational_learners_import(actor=district_officer, vocational_class=klass, path=path)
    client = client_for(district_officer)
    assert client.get(f"/hoat-dong/day-nghe/{klass.pk}/hoc-vien/").status_code == 200
    assert client.get(f"/hoat-dong/day-nghe/{klass.pk}/hoc-vien.xlsx").status_code == 200
    read = AuditEntry.objects.filter(action=PERSON_RECORDS_READ, unit_code=NAM_TUAN).latest("id")
    export = AuditEntry.objects.get(action=PERSON_RECORDS_EXPORT, unit_code=NAM_TUAN)
    assert read.changes["count"] == [None, 2] and export.changes["count"] == [None, 2] and export.actor == district_officer
