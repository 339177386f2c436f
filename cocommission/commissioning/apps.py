from django.apps import AppConfig


class CommissioningConfig(AppConfig):
    name = "cocommission.commissioning"
    label = "commissioning"
    verbose_name = "Commissioning"
