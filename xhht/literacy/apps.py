from django.apps import AppConfig


class LiteracyConfig(AppConfig):
    name = "xhht.literacy"
    verbose_name = "Điều tra hộ gia đình và xóa mù chữ"

    def ready(self) -> None:
        # A malformed rules file stops start-up with the file and line at fault.
        from xhht.literacy.catalogue import check_catalogue

        check_catalogue()
        # The literacy figures in the indicator store trace back to the results computed from the survey.
        from django.urls import reverse

        from xhht.indicators.sources import source_link_register

        source_link_register(rule_prefix="literacy:", resolver=lambda v: (
            "kết quả tính từ phiếu điều tra", reverse("literacy:results", args=[v.unit_id, int(v.period)])))
