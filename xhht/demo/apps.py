from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "xhht.demo"
    verbose_name = "Dữ liệu mẫu"
