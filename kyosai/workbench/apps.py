from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    """The branches' activity log (資料編 Ⅰ-3/Ⅰ-4 and the plan's meeting rules) and the support ledger."""

    name = "kyosai.workbench"
    verbose_name = "活動記録・支援台帳"
