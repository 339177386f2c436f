from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "cocommission.demo"
    label = "demo"
    verbose_name = "Demo place"
