from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "cocommission.organisations"
    label = "organisations"
    verbose_name = "Organisations"
