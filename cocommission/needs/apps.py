from django.apps import AppConfig


class NeedsConfig(AppConfig):
    name = "cocommission.needs"
    label = "needs"
    verbose_name = "Needs and priorities"
