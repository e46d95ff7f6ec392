from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "xhht.activities"
    verbose_name = "Hoạt động"

    def ready(self) -> None:
        # A malformed catalogue file stops start-up with its file and line (CatalogueError).
        from xhht.activities.definitions import catalogue

        catalogue()
