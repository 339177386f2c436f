from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "cocommission.agreements"
    label = "agreements"
    verbose_name = "Agreements"
