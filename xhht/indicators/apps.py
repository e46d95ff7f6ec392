from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class IndicatorsConfig(AppConfig):
    name = "xhht.indicators"
    verbose_name = "Chỉ tiêu"

    def ready(self) -> None:
        # Rules are data: a bad catalogue file stops start-up with its file and line.
        from xhht.indicators.catalogue import CatalogueError, catalogue

        try:
            catalogue()
        except CatalogueError as exc:
            raise ImproperlyConfigured(str(exc)) from None
        # The roll-ups follow the tree: rebuilt whenever the units' closure table is.
        from xhht.indicators.services import rollups_rebuild
        from xhht.units.services import tree_changed

        tree_changed.connect(rollups_rebuild, dispatch_uid="indicator_rollups_rebuild")
