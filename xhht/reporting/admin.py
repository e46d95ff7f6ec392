from django.contrib import admin

from xhht.reporting.models import Submission


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["form_code", "unit", "organisation", "period", "status", "version", "first_submitted_at"]
    list_filter = ["form_code", "period", "status"]
    readonly_fields = [f.name for f in Submission._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
