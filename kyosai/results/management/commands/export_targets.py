"""kyosai export targets: stored targets in exactly the import format (CSV or xlsx)."""

from kyosai.results.management.exportbase import ExportCommand


class Command(ExportCommand):
    kyosai_group = "目標・実績"
    kyosai_examples = (
        "kyosai export targets --fiscal-year 2024 -o targets.csv",
    )
    help = "目標を取込と同じ形式（CSV / xlsx）で書き出します。書き出したファイルはそのまま取り込めます。"
    dataset = "targets"
