from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "xhht.organisations"
    verbose_name = "Cơ quan, tổ chức"
