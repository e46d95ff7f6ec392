from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "xhht.exchange"
    verbose_name = "Trao đổi dữ liệu"
