"""kyosai export results: stored results in exactly the import format (CSV or xlsx)."""

from kyosai.results.management.exportbase import ExportCommand


class Command(ExportCommand):
    help = "実績を取込と同じ形式（CSV / xlsx）で書き出します。書き出したファイルはそのまま取り込めます。"
    dataset = "results"
