from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cocommission.core"
    label = "core"
    verbose_name = "Core"
