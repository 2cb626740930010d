"""kyosai export targets: stored targets in exactly the import format (CSV or xlsx)."""

from kyosai.results.management.exportbase import ExportCommand


class Command(ExportCommand):
    help = "目標を取込と同じ形式（CSV / xlsx）で書き出します。書き出したファイルはそのまま取り込めます。"
    dataset = "targets"
