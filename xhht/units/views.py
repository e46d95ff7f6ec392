"""Unit pages: thin views over the selectors.

Access is decided by the one policy (xhht.accounts.access), which sits above units: the routes of these pages
are ``xhht.accounts.unit_urls`` (URL names ``units:…``), whose views check the user and pass their decisions
here — the unit the user may open (404 otherwise), the user's scope, whether the user may edit it — as the
change log does for ``audit.views.log``. Nothing here is routed directly.
"""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from xhht.core.dates import parse_as_of
from xhht.units import exports
from xhht.units.models import Unit
from xhht.units.selectors import unit_ancestors, unit_children, unit_lineage, unit_roots


def tree(request: HttpRequest, *, everything: bool, own_code: str | None) -> HttpResponse:
    """The tree from every root (``everything``: administrators, who may also import unit changes) or from the
    user's own unit."""
    on = parse_as_of(request.GET.get("on"))
    if everything:
        roots = unit_roots(on=on)
    else:
        roots = list(Unit.objects.filter(code=own_code)) if own_code else []
    nodes = [{"unit": r, "children": [{"unit": c, "children": unit_children(unit=c, on=on)} for c in unit_children(unit=r, on=on)]} for r in roots]
    return render(request, "units/tree.html", {"nodes": nodes, "on": on, "is_admin": everything})


def _capability_links(unit: Unit) -> list[tuple[str, str]]:
    """Where this unit's figures live in each capability: one tap from the unit page."""
    from django.urls import reverse
    from django.utils import timezone

    if unit.level > 3:
        return []
    this_year = timezone.localdate().year
    links = [
        ("Báo cáo định kỳ", f"{reverse('reporting:dashboard')}?don-vi={unit.code}"),
        ("Chỉ tiêu, phụ lục", reverse("indicators:unit", args=[unit.code])),
        # The literacy app picks the latest survey year (units sit below literacy and do not import it).
        ("Xóa mù chữ, phổ cập", f"{reverse('literacy:index')}?don-vi={unit.code}"),
        ("Mô hình học tập", reverse("learning_models:commune", args=[unit.code, this_year]) if unit.is_commune_level
         else reverse("learning_models:classification", args=[unit.code])),
        ("Hoạt động", reverse("activities:index")),
        ("Báo cáo chính thức", reverse("official_reports:index")),
    ]
    return links


def detail(request: HttpRequest, *, unit: Unit, scope: set[str] | None, can_edit: bool) -> HttpResponse:
    """``unit`` as the user may see it: ancestors and lineage links only within ``scope`` (None: all)."""
    on = parse_as_of(request.GET.get("on"))
    ancestors = [a for a in unit_ancestors(unit=unit, on=on) if scope is None or a.code in scope]
    children = unit_children(unit=unit, on=on)
    committee = unit.steering_committees.filter(active=True).prefetch_related("members").first()
    return render(
        request,
        "units/detail.html",
        {
            "unit": unit,
            "on": on,
            "ancestors": ancestors,
            "children": children,
            "organisations": unit.organisations.all(),
            "committee": committee,
            "documents": unit.documents.all()[:50],
            "can_edit": can_edit,
            "versions": unit.versions.select_related("parent").all(),
            "lineage": unit_lineage(unit=unit),
            # Lineage names every predecessor and successor; only those the user may open are links.
            "reachable": scope,
            "capability_links": _capability_links(unit),
        },
    )


def api_detail(request: HttpRequest, *, unit: Unit, scope: set[str] | None) -> JsonResponse:
    """JSON for other systems: the unit, its ancestors within ``scope`` and its children as of ``?on=``."""
    on = parse_as_of(request.GET.get("on"))

    def brief(u: Unit) -> dict[str, object]:
        return {"code": u.code, "name": u.name, "kind": u.kind, "special_difficulty": u.special_difficulty}

    return JsonResponse(
        {
            **brief(unit),
            "on": on.isoformat(),
            "valid_from": unit.valid_from.isoformat() if unit.valid_from else None,
            "valid_to": unit.valid_to.isoformat() if unit.valid_to else None,
            "ancestors": [brief(a) for a in unit_ancestors(unit=unit, on=on) if scope is None or a.code in scope],
            "children": [brief(c) for c in unit_children(unit=unit, on=on)],
            "organisations": [{"id": o.pk, "name": o.name, "kind": o.kind} for o in unit.organisations.all()],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def export_xlsx(request: HttpRequest, *, unit: Unit) -> HttpResponse:
    on = parse_as_of(request.GET.get("on"))
    content = exports.unit_workbook(unit=unit, on=on)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="don-vi-{unit.code}.xlsx"'
    return response


class ChangesUploadForm(forms.Form):
    file = forms.FileField(label="Tệp CSV hoặc Excel (.xlsx) theo mẫu 4 (thay đổi địa giới)")


def changes_import(request: HttpRequest) -> HttpResponse:
    """Administrators load a reorganisation (format 4): all of it or nothing, every problem listed (the route,
    ``xhht.accounts.unit_urls``, lets administrators only through).

    The file is checked and applied by a job in ``xhht worker`` (a national reform is ~10,000 rows); the page
    of the job follows its progress and shows the outcome.
    """
    from xhht.units import jobs
    from xhht.units.models import UnitChange

    form = ChangesUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = jobs.changes_import_start(user=request.user, upload=form.cleaned_data["file"])
        except jobs.JobBusy:
            form.add_error(None, "Một tệp thay đổi địa giới khác đang được nhập. Xin chờ lượt đó xong rồi nhập lại; "
                                 "tệp vừa gửi chưa được ghi.")
        else:
            return redirect("units:changes_job", job=job)
    dates = UnitChange.objects.values("effective_date", "basis").distinct().order_by("-effective_date")
    return render(request, "units/changes_import.html", {"form": form, "dates": dates}, status=400 if form.errors else 200)


def _changes_job_or_404(request: HttpRequest, job: str) -> dict:
    """The job's state (the route, ``xhht.accounts.unit_urls``, lets administrators only through)."""
    from xhht.units import jobs

    state = jobs.changes_job_state(job, user=request.user)
    if state is None:
        raise Http404("Không tìm thấy lượt nhập.")
    return state


def changes_job(request: HttpRequest, job: str) -> HttpResponse:
    state = _changes_job_or_404(request, job)
    return render(request, "units/changes_job.html", {"job": job, "state": state})


def changes_job_status(request: HttpRequest, job: str) -> HttpResponse:
    state = _changes_job_or_404(request, job)
    return render(request, "units/_changes_job_status.html", {"job": job, "state": state})
