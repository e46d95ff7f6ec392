from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from xhht.audit.models import AuditEntry
from xhht.audit.services import audit_record, diff, snapshot


class ObjectTypeFilter(admin.SimpleListFilter):
    """The kinds of object by their Vietnamese nouns, not their internal codes (issue 15)."""

    title = "loại đối tượng"
    parameter_name = "object_type"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        from xhht.audit.sentences import object_types

        codes = AuditEntry.objects.order_by().values_list("object_type", flat=True).distinct()
        return object_types({c: 1 for c in codes})

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        return queryset.filter(object_type=self.value()) if self.value() else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "did", "object_repr", "unit_code"]
    list_filter = [ObjectTypeFilter]
    # The entry read as the change log reads it: no action code, field name or raw JSON on screen (issue 15).
    fields = readonly_fields = ("at", "actor", "did", "what", "unit_code", "change_list", "note_vi")

    @admin.display(description="việc đã làm")
    def did(self, obj: AuditEntry) -> str:
        from xhht.audit.sentences import action_text

        return action_text(obj)

    @admin.display(description="đối tượng")
    def what(self, obj: AuditEntry) -> str:
        from xhht.audit.sentences import object_text

        return object_text(obj)

    @admin.display(description="thay đổi (cũ → mới)")
    def change_list(self, obj: AuditEntry) -> str:
        from xhht.audit.sentences import sentence

        return "; ".join(f"{c.label}: {c.old + ' → ' if c.old else ''}{c.new}" for c in sentence(obj, url_hooks=[]).changes) or "—"

    @admin.display(description="ghi chú")
    def note_vi(self, obj: AuditEntry) -> str:
        from xhht.audit.sentences import note_text

        return note_text(obj) or "—"
    search_fields = ["object_repr", "object_id", "unit_code", "actor__username"]
    date_hierarchy = "at"

    # The log is evidence: nobody edits or deletes it, not even an administrator.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AuditedAdmin(admin.ModelAdmin):
    """Admin whose saves and deletes write an audit entry in the same transaction."""

    def _unit_code(self, obj: Any) -> str:
        unit_id = getattr(obj, "unit_id", None)
        return str(unit_id) if unit_id else ""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            before = snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else {}
            super().save_model(request, obj, form, change)
            audit_record(
                actor=request.user,
                action="admin_change" if change else "admin_add",
                instance=obj,
                unit_code=self._unit_code(obj),
                changes=diff(before, snapshot(obj)),
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            audit_record(actor=request.user, action="admin_delete", instance=obj, unit_code=self._unit_code(obj), changes=diff(snapshot(obj), {}))
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            for obj in queryset:
                audit_record(actor=request.user, action="admin_delete", instance=obj, unit_code=self._unit_code(obj), changes=diff(snapshot(obj), {}))
            super().delete_queryset(request, queryset)
