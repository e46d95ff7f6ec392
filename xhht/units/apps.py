from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "xhht.units"
    verbose_name = "Đơn vị hành chính"
