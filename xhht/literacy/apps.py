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
        # A split by villages (format 4) is checked against the villages the survey knows.
        from xhht.units.changes import village_provider_register

        village_provider_register(_survey_villages)


def _survey_villages(codes: list[str]) -> dict[str, set[str]]:
    from xhht.literacy.models import Village

    found: dict[str, set[str]] = {}
    for commune, name in Village.objects.filter(commune_id__in=codes).values_list("commune_id", "name"):
        found.setdefault(commune, set()).add(name)
    return found
