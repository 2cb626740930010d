"""kyosai import contracts FILE: one row per contract, upserted by contract_no."""

from pathlib import Path
from typing import Any

from kyosai.members.management.base import FileImportCommand
from kyosai.members.services import import_contracts
from kyosai.results.services import ImportOutcome


class Command(FileImportCommand):
    help = "契約（CSV / xlsx）を検証して取り込みます。契約番号で追加・更新します。"
    kyosai_examples = (
        "kyosai import contracts contracts.xlsx",
    )
    label = "契約"

    def run_import(self, path: Path, data: bytes, **options: Any) -> ImportOutcome:
        return import_contracts(path.name, data, **options)
