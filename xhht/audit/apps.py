from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "xhht.audit"
    verbose_name = "Nhật ký thay đổi"
