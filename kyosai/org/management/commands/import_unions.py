"""kyosai import unions FILE: the union master (code, name, branch, members, officers, active)."""

from pathlib import Path
from typing import Any

from kyosai.members.management.base import FileImportCommand
from kyosai.org.imports import import_unions
from kyosai.results.services import ImportOutcome


class Command(FileImportCommand):
    help = "単組マスタ（CSV / xlsx）を検証して取り込みます。単組コードで追加・更新し、削除はしません。"
    kyosai_examples = (
        "kyosai import unions unions.csv",
    )
    label = "単組"

    def run_import(self, path: Path, data: bytes, **options: Any) -> ImportOutcome:
        options.pop("progress", None)
        return import_unions(path.name, data, **options)
