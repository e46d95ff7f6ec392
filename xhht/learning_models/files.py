"""Serving an evaluation's evidence file: one check and one response for the web's download link and the API."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404

from xhht.learning_models.models import Evidence
from xhht.learning_models.selectors import evaluation_for_user_or_404


def evidence_file_response(*, user: Any, evaluation: int, evidence: int) -> FileResponse:
    """The evidence file as a download if ``user`` may see the evaluation's commune (else 404, as one that does not
    exist); always as an attachment of type application/octet-stream under its original name, so no uploaded file is
    ever rendered by the browser. A file gone from the disk is 404, not a server error."""
    ev = evaluation_for_user_or_404(user=user, pk=evaluation)
    item = Evidence.objects.filter(pk=evidence, evaluation=ev).first()
    if item is None:
        raise Http404("Không tìm thấy tệp minh chứng.")
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("Tệp minh chứng không còn trên máy chủ.") from None
    return FileResponse(handle, as_attachment=True, filename=item.original_name, content_type="application/octet-stream")
