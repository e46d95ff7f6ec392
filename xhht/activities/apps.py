from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "xhht.activities"
    verbose_name = "Hoạt động"
