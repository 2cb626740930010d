from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    """The branches' activity log (資料編 Ⅰ-3/Ⅰ-4 and the plan's meeting rules) and the support ledger."""

    name = "kyosai.workbench"
    verbose_name = "活動記録・支援台帳"

    def load_demo(self) -> None:
        """`kyosai demo-data`: its demo data (after the demo results)."""
        from kyosai.workbench.demo import load_demo

        load_demo()
