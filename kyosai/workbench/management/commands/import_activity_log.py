"""kyosai import activity-log FILE [--again]."""

from pathlib import Path
from typing import Any

from kyosai.workbench.management.base import LedgerImportCommand
from kyosai.workbench.services import import_activity_log


class Command(LedgerImportCommand):
    help = "活動記録（会議・オルグ・学習会・相談の1件1行）を取り込みます。取込済みのファイルは --again なしでは拒否します。"
    label = "活動記録"

    def run_import(self, data: bytes, path: Path, again: bool, progress: Any) -> Any:
        return import_activity_log(path.name, data, again=again, progress=progress)
