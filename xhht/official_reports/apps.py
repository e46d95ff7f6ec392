from django.apps import AppConfig


class OfficialReportsConfig(AppConfig):
    name = "xhht.official_reports"
    verbose_name = "Báo cáo chính thức"
