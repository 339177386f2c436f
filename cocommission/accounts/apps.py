from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cocommission.accounts"
    label = "accounts"
    verbose_name = "Accounts"
