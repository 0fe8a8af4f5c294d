from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cicnet.accounts"
    label = "accounts"
    verbose_name = "Accounts"
