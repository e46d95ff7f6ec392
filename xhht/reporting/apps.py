from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "xhht.reporting"
    verbose_name = "Báo cáo định kỳ"

    def ready(self) -> None:
        # A bad catalogue file stops start-up with the file and line of each mistake.
        from xhht.reporting.catalogue import get_catalogue

        get_catalogue()
        # Values written by a form trace back to the submitted form.
        from xhht.indicators.sources import source_link_register
        from xhht.reporting.selectors import submission_link

        source_link_register(rule_prefix="form:", resolver=submission_link)
