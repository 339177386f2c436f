from django.apps import AppConfig


class DecidingConfig(AppConfig):
    name = "cocommission.deciding"
    label = "deciding"
    verbose_name = "Meetings and decision moments"
