from django.contrib import admin

from xhht.audit.admin import AuditedAdmin
from xhht.organisations.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "kind", "unit", "phone"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "unit__name"]
    raw_id_fields = ["unit"]
