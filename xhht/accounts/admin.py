from typing import Any

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


# django-axes' attempts page in Vietnamese (issue 15): its status column and clean-up action had no translation.
def _axes_admin_in_vietnamese() -> None:
    from django.conf import settings as django_settings

    if not getattr(django_settings, "AXES_ENABLE_ADMIN", True):
        return
    try:
        from axes.admin import AccessAttemptAdmin
        from axes.models import AccessAttempt
    except ImportError:  # pragma: no cover - axes is a dependency
        return

    class AccessAttemptAdminVi(AccessAttemptAdmin):  # type: ignore[misc]
        @admin.action(description="Xóa các lần đăng nhập sai đã hết hạn")
        def cleanup_expired_attempts(self, request: Any, queryset: Any) -> None:
            count = self.handler.clean_expired_user_attempts(request=request)
            self.message_user(request, f"Đã xóa {count} lần đăng nhập sai đã hết hạn.")

        @admin.display(description="trạng thái")
        def status(self, obj: Any) -> str:
            limit = getattr(django_settings, "AXES_FAILURE_LIMIT", 3)
            left = limit - obj.failures_since_start
            return f"còn {left} lần thử" if left > 0 else "đang bị khóa"

        @admin.display(description="hết hạn lúc")
        def expiration(self, obj: Any) -> Any:
            return obj.expiration.expires_at if hasattr(obj, "expiration") else "chưa đặt"

    if admin.site.is_registered(AccessAttempt):
        admin.site.unregister(AccessAttempt)
        admin.site.register(AccessAttempt, _agent_as_code(AccessAttemptAdminVi))
    # The access logs' browser strings ("… x86_64 …") are machine text, shown as such (<code>), like a file's column names.
    from axes.admin import AccessFailureLogAdmin, AccessLogAdmin
    from axes.models import AccessFailureLog, AccessLog

    for model, model_admin in ((AccessLog, AccessLogAdmin), (AccessFailureLog, AccessFailureLogAdmin)):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
            admin.site.register(model, _agent_as_code(model_admin))


def _agent_as_code(model_admin: Any) -> Any:
    """``model_admin`` with its ``user_agent`` column and field rendered inside <code>."""
    from django.utils.html import format_html

    def swap(names: Any) -> Any:
        return type(names)("agent" if n == "user_agent" else n for n in names)

    @admin.display(description="chuỗi nhận diện trình duyệt")
    def agent(self: Any, obj: Any) -> Any:
        return format_html("<code>{}</code>", obj.user_agent or "")

    attrs: dict[str, Any] = {"agent": agent, "list_display": swap(model_admin.list_display),
                             "readonly_fields": swap(model_admin.readonly_fields),
                             "fieldsets": tuple((title, {**opts, "fields": swap(opts["fields"])}) for title, opts in model_admin.fieldsets)}
    return type(f"{model_admin.__name__}Code", (model_admin,), attrs)


_axes_admin_in_vietnamese()
