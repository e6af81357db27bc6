from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "opencen.accounts"
    label = "accounts"
    verbose_name = "Accounts"
