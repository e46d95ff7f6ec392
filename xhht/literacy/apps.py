from django.apps import AppConfig


class LiteracyConfig(AppConfig):
    name = "xhht.literacy"
    verbose_name = "Điều tra hộ gia đình và xóa mù chữ"
