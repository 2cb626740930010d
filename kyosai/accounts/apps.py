from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kyosai.accounts"
    label = "accounts"
    verbose_name = "アカウント"
