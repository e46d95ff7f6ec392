from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "xhht.units"
    verbose_name = "Đơn vị hành chính"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from xhht.units.models import UnitVersion
        from xhht.units.services import unit_version_saved

        post_save.connect(unit_version_saved, sender=UnitVersion, dispatch_uid="unit_closure_on_save")
        post_delete.connect(unit_version_saved, sender=UnitVersion, dispatch_uid="unit_closure_on_delete")
