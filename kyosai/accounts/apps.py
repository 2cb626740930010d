from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kyosai.accounts"
    label = "accounts"
    verbose_name = "アカウント"

    def ready(self) -> None:
        from kyosai.accounts import signals

        signals.connect()
