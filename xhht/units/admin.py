from django.contrib import admin

from xhht.audit.admin import AuditedAdmin
from xhht.units.models import Unit, UnitVersion


class UnitVersionInline(admin.TabularInline):
    model = UnitVersion
    fk_name = "unit"
    extra = 0


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ["code", "name", "kind", "parent", "valid_from", "valid_to", "special_difficulty"]
    list_filter = ["kind", "special_difficulty"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]
    inlines = [UnitVersionInline]

    def _unit_code(self, obj: Unit) -> str:
        return obj.code
