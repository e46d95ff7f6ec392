from django.apps import AppConfig


class LiteracyConfig(AppConfig):
    name = "xhht.literacy"
    verbose_name = "Điều tra hộ gia đình và xóa mù chữ"

    def ready(self) -> None:
        # A malformed rules file stops start-up with the file and line at fault.
        from xhht.literacy.catalogue import check_catalogue

        check_catalogue()
