from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from xhht.reporting.models import Submission


def _form_title(code: str) -> str:
    from xhht.reporting.catalogue import get_catalogue

    form = get_catalogue().forms.get(code)
    return str(form.title) if form is not None else code


class FormFilter(admin.SimpleListFilter):
    """The forms by their titles, not their codes (issue 15)."""

    title = "biểu mẫu"
    parameter_name = "form_code"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        codes = Submission.objects.order_by().values_list("form_code", flat=True).distinct()
        return sorted(((c, _form_title(c)) for c in codes), key=lambda p: p[1])

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        return queryset.filter(form_code=self.value()) if self.value() else queryset


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["form_name", "unit", "organisation", "period", "status", "version", "first_submitted_at"]
    list_filter = [FormFilter, "period", "status"]
    # Every field a person reads has a Vietnamese label; the reporter key and the raw JSON of texts stay off screen.
    fields = readonly_fields = ("form_name", "unit", "organisation", "period", "status", "version", "first_submitted_at", "submitted_at",
                                "submitter", "decided_at", "decider", "decision_comment", "created", "updated", "updater")

    @admin.display(description="biểu mẫu", ordering="form_code")
    def form_name(self, obj: Submission) -> str:  # not "form": that is the ModelAdmin's form class
        return _form_title(obj.form_code)

    @admin.display(description="người nộp")
    def submitter(self, obj: Submission) -> Any:
        return obj.submitted_by or "—"

    @admin.display(description="người duyệt / trả lại")
    def decider(self, obj: Submission) -> Any:
        return obj.decided_by or "—"

    @admin.display(description="tạo lúc")
    def created(self, obj: Submission) -> Any:
        return obj.created_at

    @admin.display(description="sửa lần cuối lúc")
    def updated(self, obj: Submission) -> Any:
        return obj.updated_at

    @admin.display(description="người sửa lần cuối")
    def updater(self, obj: Submission) -> Any:
        return obj.updated_by or "—"

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
