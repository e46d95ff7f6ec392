"""Issue 12, hole 7: reads and exports of personal records are logged and shown to the education office;
a self-evaluation note is audited like the scores."""

from __future__ import annotations

from typing import Any

import pytest

from xhht.audit.models import AuditEntry
from xhht.demo.foundation import NAM_TUAN
from xhht.units.models import Unit


@pytest.mark.django_db
def test_a_self_evaluation_note_alone_is_audited(demo: None, nam_tuan_officer: Any) -> None:
    from xhht.learning_models.models import ModelKind
    from xhht.learning_models.services import evaluation_self_score, participant_register

    commune = Unit.objects.get(code=NAM_TUAN)
    reg = participant_register(actor=nam_tuan_officer, kind=ModelKind.COMMUNE, commune=commune, name=commune.full_name, year=2020)
    evaluation_self_score(actor=nam_tuan_officer, participant=reg.participant, year=2020, values={"c1": 5})
    before = AuditEntry.objects.count()
    evaluation = evaluation_self_score(actor=nam_tuan_officer, participant=reg.participant, year=2020, values={}, note="Xã tự đánh giá lại")
    assert evaluation.self_note == "Xã tự đánh giá lại"
    entry = AuditEntry.objects.latest("id")
    assert AuditEntry.objects.count() == before + 1 and entry.changes["self_note"] == [None, "Xã tự đánh giá lại"]



@pytest.mark.django_db
def test_evidence_refuses_old_office_files_and_macros(demo: None, nam_tuan_officer: Any, settings: Any, tmp_path: Any) -> None:
    """Issue 12, hole 8: evidence accepted .xls/.doc and an .xlsx carrying a macro project."""
    import io
    import zipfile

    from openpyxl import Workbook

    from xhht.learning_models.models import Evidence, ModelKind
    from xhht.learning_models.services import LearningModelError, evaluation_start, evidence_attach, participant_register

    settings.MEDIA_ROOT = tmp_path
    commune = Unit.objects.get(code=NAM_TUAN)
    reg = participant_register(actor=nam_tuan_officer, kind=ModelKind.COMMUNE, commune=commune, name=commune.full_name, year=2022)
    ev = evaluation_start(actor=nam_tuan_officer, participant=reg.participant, year=2022)
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    book = io.BytesIO()
    Workbook().save(book)
    with zipfile.ZipFile(book, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"VBA")
    for name, content in [("bang.xls", ole2), ("bien-ban.doc", ole2), ("bang.xlsx", book.getvalue())]:
        with pytest.raises(LearningModelError):
            evidence_attach(actor=nam_tuan_officer, evaluation=ev, name=name, content=content)
    assert not Evidence.objects.filter(evaluation=ev).exists()
