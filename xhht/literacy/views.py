"""Pages of the household survey: results, persons (commune officer), upload with progress, attestations."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from xhht.accounts.access import can_attest, can_edit_unit, can_view_unit, is_viewer, require_edit_unit, unit_for_user_or_404
from xhht.core.dates import date_from_text
from xhht.core.tabular import Rejected
from xhht.literacy import jobs
from xhht.literacy.charts import PHONE_WIDTH, bands_chart
from xhht.literacy.forms import AttestationForm, PersonForm, UploadForm
from xhht.audit.services import PERSON_RECORDS_READ, person_records_access_record
from xhht.literacy.models import Recognition, SurveyPerson
from xhht.literacy.authorities import recognition_authority, rule_set_on
from xhht.literacy.catalogue import rules
from xhht.literacy.selectors import PART_LABELS, UnitNotInPeriod, commune_person_count, pcgd_rows, person_search, survey_years, unit_results
from xhht.literacy.services import attestation_set, person_update
from xhht.units.models import Unit
from xhht.units.selectors import unit_ancestors



def _year_or_404(year: int) -> int:
    """The survey year of a URL, or 404: never a crash on 0 or 25 digits."""
    if not 1900 <= year <= 2100:
        raise Http404("Năm không hợp lệ.")
    return year


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The latest survey year of ``?don-vi=`` (the unit page links here), else of the user's unit."""
    unit = request.user.unit  # type: ignore[union-attr]
    if code := request.GET.get("don-vi", "")[:20]:
        unit = unit_for_user_or_404(request.user, code)
    if unit is None:
        unit = Unit.objects.filter(parent__isnull=True).order_by("code").first()
        if unit is None:
            raise Http404("Chưa có đơn vị.")
    years = survey_years()
    return redirect("literacy:results", code=unit.code, year=years[0] if years else timezone.localdate().year - 1)


def _commune_or_404(request: HttpRequest, code: str) -> Unit:
    unit = unit_for_user_or_404(request.user, code)
    if not unit.is_commune_level:
        raise Http404("Chỉ xã, phường, thị trấn có phiếu điều tra.")
    return unit


@login_required
def results(request: HttpRequest, code: str, year: int) -> HttpResponse:
    year = _year_or_404(year)
    unit = unit_for_user_or_404(request.user, code)
    text = (request.GET.get("theo_dia_gioi") or "").strip()
    on = None
    try:
        if text:
            try:
                on = date_from_text(text)
            except ValueError:
                raise ValueError(f"Ngày địa giới «{text[:20]}» không hợp lệ; hãy nhập ngày dạng dd/mm/yyyy, ví dụ 31/12/2019.") from None
        elif unit.valid_from is not None and unit.valid_from > date(year, 12, 31) and unit.changes_in.exists():
            on = unit.valid_from  # born in a reform: its past is its predecessors', on its first day's tree
        result = unit_results(unit=unit, year=year, on=on)
    except (UnitNotInPeriod, ValueError) as exc:
        return render(request, "literacy/not_in_period.html", {"unit": unit, "year": year, "message": str(exc)}, status=404)
    checks: dict[str, list] = {}
    for check in result.checks:
        checks.setdefault(check.recognition, []).append(check)
    return render(request, "literacy/results.html", {
        "unit": unit, "year": year, "result": result, "chart": bands_chart(result), "chart_phone": bands_chart(result, width=PHONE_WIDTH), "part_labels": PART_LABELS,
        "on": on, "recognitions": Recognition.choices, "checks": checks, "pcgd": pcgd_rows(result), "years": survey_years() or [year],
        "ancestors": [a for a in unit_ancestors(unit=unit) if can_view_unit(request.user, a)], "can_edit": can_edit_unit(request.user, unit),
        "can_attest": can_edit_unit(request.user, unit) and can_attest(request.user),
        **_authorities(unit, year),
        # The list counts every person on the survey; the rates leave out those unable to learn (NĐ 20/2014):
        # both figures are shown, each named, so "Danh sách người" and the list's count are the same number.
        "surveyed": commune_person_count(commune=unit, year=year) if unit.is_commune_level else None,
    })


def _authorities(unit: Any, year: int) -> dict[str, Any]:
    """Who recognises this unit's levels, by the rule set in force on 31/12 of the year (authorities.yaml)."""
    on = date(year, 12, 31)
    rule_set = rule_set_on(on)
    level = {1: "province", 2: "district"}.get(unit.level, "commune")
    rows = [(label, [(lv.level, recognition_authority(on=on, unit_level=level, recognition=key, level=lv.level).label)
                     for lv in rules().recognitions[key]]) for key, label in Recognition.choices]
    province_note = ""
    if level == "province" and rule_set.province_over == "communes":
        province_note = ("Tỉnh không còn cấp huyện: mức độ của tỉnh tính theo tỷ lệ số xã đạt chuẩn — cách đọc chưa kiểm chứng "
                         "(chưa đọc được văn bản quy định), ngưỡng nào chưa xác định thì do xác nhận điều kiện bảo đảm quyết định.")
    return {"authorities": rows, "authority_source": rule_set.document, "province_note": province_note}


@login_required
def persons(request: HttpRequest, code: str, year: int) -> HttpResponse:
    year = _year_or_404(year)
    unit = _commune_or_404(request, code)
    query = request.GET.get("q", "")[:120]
    page = Paginator(person_search(commune=unit, year=year, query=query), 50).get_page(request.GET.get("page"))
    person_records_access_record(actor=request.user, action=PERSON_RECORDS_READ, unit_code=unit.code, count=len(page.object_list),
                                 what=f"Danh sách người điều tra năm {year}", note=f"trang {page.number}" + (f", tìm «{query}»" if query else ""))
    template = "literacy/_person_rows.html" if request.headers.get("HX-Request") else "literacy/persons.html"
    return render(request, template, {"unit": unit, "year": year, "page": page, "q": query, "can_edit": can_edit_unit(request.user, unit)})


@login_required
def person_edit(request: HttpRequest, code: str, year: int, person_id: str) -> HttpResponse:
    year = _year_or_404(year)
    unit = _commune_or_404(request, code)
    person = SurveyPerson.objects.filter(commune=unit, year=year, person_id=person_id).first()
    if person is None:
        raise Http404("Không tìm thấy người này.")
    require_edit_unit(request.user, unit)
    if request.method != "POST":
        person_records_access_record(actor=request.user, action=PERSON_RECORDS_READ, unit_code=unit.code, count=1,
                                     what=f"Phiếu của {person.full_name} (năm {year})")
    initial = {
        "full_name": person.full_name, "sex": person.sex,
        "birth_date": person.birth_date.isoformat() if person.birth_date else str(person.birth_year),
        "ethnicity": person.ethnicity, "village": person.village, "household_code": person.household_code,
        "disability": str(person.disability), "highest_grade": str(person.highest_grade),
        "enrolled_grade": "" if person.enrolled_grade is None else str(person.enrolled_grade),
        "literacy_phase": str(person.literacy_phase),
        "primary_completion_year": person.primary_completion_year or "",
        "lower_secondary_completion_year": person.lower_secondary_completion_year or "",
    }
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            person_update(actor=request.user, person=person, data={k: str(v) if v is not None else None for k, v in form.cleaned_data.items()})
        except Rejected as exc:
            for problem in exc.problems:
                form.add_error(None, str(problem))
        else:
            messages.success(request, "Đã lưu thay đổi.")
            return redirect("literacy:persons", code=unit.code, year=year)
    return render(request, "literacy/person_edit.html", {"unit": unit, "year": year, "person": person, "form": form})


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    if is_viewer(request.user):
        raise PermissionDenied("Bạn không có quyền nhập dữ liệu.")
    form = UploadForm(request.POST or None, request.FILES or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        try:
            job = jobs.import_start(user=request.user, year=year, upload=form.cleaned_data["file"])
        except jobs.JobBusy:
            form.add_error(None, jobs.busy_message(unit=getattr(request.user, "unit", None), year=year))
        else:
            return redirect("literacy:upload_job", job=job)
    return render(request, "literacy/upload.html", {"form": form})


def _job_or_404(request: HttpRequest, job: str) -> dict:
    state = jobs.job_state(job, user=request.user)
    if state is None:
        raise Http404("Không tìm thấy lượt nhập.")
    return state


@login_required
def upload_job(request: HttpRequest, job: str) -> HttpResponse:
    state = _job_or_404(request, job)
    return render(request, "literacy/upload_job.html", {"job": job, "state": state})


@login_required
def upload_status(request: HttpRequest, job: str) -> HttpResponse:
    state = _job_or_404(request, job)
    return render(request, "literacy/_upload_status.html", {"job": job, "state": state})


@login_required
def attest(request: HttpRequest, code: str, year: int) -> HttpResponse:
    year = _year_or_404(year)
    unit = unit_for_user_or_404(request.user, code)
    require_edit_unit(request.user, unit)
    if not can_attest(request.user):
        raise PermissionDenied("Chỉ Phòng/Sở GD&ĐT xác nhận điều kiện bảo đảm.")
    result = unit_results(unit=unit, year=year)
    form = AttestationForm(request.POST or None, initial={**result.attested})
    if request.method == "POST" and form.is_valid():
        for recognition in Recognition.values:
            attestation_set(actor=request.user, unit=unit, year=year, recognition=recognition,
                            level=form.cleaned_data[recognition], note=form.cleaned_data["note"])
        messages.success(request, "Đã ghi xác nhận điều kiện bảo đảm.")
        return redirect(reverse("literacy:results", kwargs={"code": unit.code, "year": year}))
    return render(request, "literacy/attest.html", {"unit": unit, "year": year, "form": form})
