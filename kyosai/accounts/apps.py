from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kyosai.accounts"
    label = "accounts"
    verbose_name = "アカウント"

    def ready(self) -> None:
        from kyosai.accounts import signals

        signals.connect()

    def load_demo(self) -> None:
        """`kyosai demo-data`: the demo users (after the demo results)."""
        from kyosai.accounts.services import create_demo_users as load_demo

        load_demo()
