from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xhht.accounts"
    verbose_name = "Người dùng"

    def ready(self) -> None:
        from xhht.accounts.axes_labels import axes_labels_apply

        axes_labels_apply()
