from django.apps import AppConfig


class SteeringConfig(AppConfig):
    name = "xhht.steering"
    verbose_name = "Ban Chỉ đạo và văn bản"
