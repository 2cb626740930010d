"""kyosai import support FILE [--again]."""

from pathlib import Path
from typing import Any

from kyosai.workbench.management.base import LedgerImportCommand
from kyosai.workbench.services import import_support


class Command(LedgerImportCommand):
    help = "支援県支部・重点県支部への支援（特別運営費・派遣・本部代行）の台帳を取り込みます。"
    label = "支援台帳"

    def run_import(self, data: bytes, path: Path, again: bool, progress: Any) -> Any:
        outcome = import_support(path.name, data, again=again)
        progress.update(outcome.rows_total)
        return outcome
