from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from xhht.accounts.models import User
from xhht.audit.admin import AuditedAdmin


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "unit", "organisation", "is_active"]
    list_filter = ["role", "is_active"]
    raw_id_fields = ["unit", "organisation"]
    fieldsets = (*BaseUserAdmin.fieldsets, ("Phạm vi", {"fields": ["role", "unit", "organisation", "phone", "position"]}))  # type: ignore[misc]
