"""The deploy check of the retention policy (`kyosai check --deploy`): personal data with no
retention period in production is a warning (members.W001)."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks

RETENTION_UNSET = "members.W001"


@checks.register("kyosai", deploy=True)
def check_retention_policy(app_configs: Sequence[AppConfig] | None = None,
                           **kwargs: Any) -> list[checks.CheckMessage]:
    if getattr(settings, "KYOSAI_PERSONAL_DATA_RETENTION_DAYS", None) is not None:
        return []
    return [checks.Warning(
        "個人情報の保存期間が設定されていません。脱退した組合員の個人情報が自動では削除されません。",
        hint=("KYOSAI_PERSONAL_DATA_RETENTION_DAYS に脱退後の保存日数（例: 1825）を設定すると、"
              "kyosai worker が毎日削除します（kyosai members purge --retention）。"),
        id=RETENTION_UNSET)]
