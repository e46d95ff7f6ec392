from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "xhht.api"
    label = "xhht_api"
    verbose_name = "API"
