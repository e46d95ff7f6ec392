from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from xhht.audit.admin import AuditedAdmin
from xhht.steering.models import CommitteeMember, LegalDocument, SteeringCommittee


@admin.register(LegalDocument)
class LegalDocumentAdmin(AuditedAdmin):
    list_display = ["number", "issued_on", "kind", "issuer", "title", "unit"]
    list_filter = ["kind"]
    search_fields = ["number", "title", "search_text"]
    raw_id_fields = ["unit"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.refresh_search_text()
        super().save_model(request, obj, form, change)


class MemberInline(admin.TabularInline):
    model = CommitteeMember
    extra = 0


@admin.register(SteeringCommittee)
class SteeringCommitteeAdmin(AuditedAdmin):
    list_display = ["name", "unit", "active"]
    raw_id_fields = ["unit", "established_by", "last_consolidated_by"]
    inlines = [MemberInline]
