from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "xhht.reporting"
    verbose_name = "Báo cáo định kỳ"

    def ready(self) -> None:
        # A bad catalogue file stops start-up with the file and line of each mistake.
        from xhht.reporting.catalogue import get_catalogue

        get_catalogue()
