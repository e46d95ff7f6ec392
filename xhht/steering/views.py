from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.contrib import messages
from django.shortcuts import redirect, render

from xhht.accounts.access import can_view_unit, require_edit_unit, unit_for_user_or_404
from xhht.steering.forms import DocumentForm
from xhht.steering.models import DocumentKind, LegalDocument
from xhht.steering.selectors import document_search
from xhht.steering.services import document_upsert


def _document_for_user_or_404(request: HttpRequest, pk: int) -> LegalDocument:
    document = LegalDocument.objects.filter(pk=pk).select_related("unit").first()
    if document is None or (document.unit_id and not can_view_unit(request.user, document.unit_id)):
        raise Http404("Không tìm thấy văn bản.")
    return document


@login_required
def documents(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    kind = request.GET.get("kind", "")
    page = Paginator(document_search(user=request.user, query=query, kind=kind), 50).get_page(request.GET.get("page"))
    template = "steering/_document_rows.html" if request.headers.get("HX-Request") else "steering/documents.html"
    return render(request, template, {"page": page, "q": query, "kind": kind, "kinds": DocumentKind.choices})


@login_required
def document_create(request: HttpRequest, code: str) -> HttpResponse:
    """Register a document issued at ``code`` (officers of that unit or above)."""
    unit = unit_for_user_or_404(request.user, code)
    require_edit_unit(request.user, unit)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        document = document_upsert(actor=request.user, unit=unit, kind=data["kind"], number=data["number"].strip(),
                                   issued_on=data["issued_on"], issuer=data["issuer"], title=data["title"], file=data["file"])
        messages.success(request, f"Đã lưu {document}.")
        return redirect("steering:document", pk=document.pk)
    return render(request, "steering/document_form.html", {"form": form, "unit": unit})


@login_required
def document(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "steering/document.html", {"document": _document_for_user_or_404(request, pk)})


@login_required
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    doc = _document_for_user_or_404(request, pk)
    if not doc.file:
        raise Http404("Văn bản chưa có tệp đính kèm.")
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=(doc.file.name or "van-ban").rsplit("/", 1)[-1])
