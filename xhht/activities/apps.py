from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "xhht.activities"
    verbose_name = "Hoạt động"

    def ready(self) -> None:
        # A malformed catalogue file stops start-up with its file and line (CatalogueError).
        from xhht.activities.definitions import catalogue

        catalogue()
        # Figures computed from the registers trace back to the registers.
        from django.urls import reverse

        from xhht.indicators.sources import source_link_register

        source_link_register(rule_prefix="activities.", resolver=lambda v: ("sổ theo dõi hoạt động", reverse("activities:index")))
