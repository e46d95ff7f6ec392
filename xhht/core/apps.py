from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "xhht.core"
    verbose_name = "Nền tảng"
