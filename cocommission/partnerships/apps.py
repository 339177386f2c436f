from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "cocommission.partnerships"
    label = "partnerships"
    verbose_name = "Partnerships"
