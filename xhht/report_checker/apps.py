from django.apps import AppConfig


class ReportCheckerConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "xhht.report_checker"
    label = "report_checker"
    verbose_name = "Kiểm tra số liệu báo cáo"

    def ready(self) -> None:
        from django.urls import reverse

        from xhht.indicators.sources import source_link_register

        # A figure accepted from a checked report leads back to that report and its statement.
        source_link_register(rule_prefix="report_checker:", resolver=lambda v: (
            "báo cáo đã kiểm tra", reverse("report_checker:accepted", args=[int(v.rule.split(":")[1])])))
