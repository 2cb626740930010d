"""kyosai forms preprinted: プレ印字申込書 (one A4 page per member) as a PDF."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kyosai.core.audit import record_event
from kyosai.core.models import AuditEntry
from kyosai.members.management.base import CLI_ACCESS, date_option, product_option, union_option
from kyosai.members.preprinted import form_pages, render_pdf


class Command(BaseCommand):
    help = "単組の組合員ごとに氏名等を印字した加入申込書（プレ印字申込書）をPDFで作成します。"
    kyosai_examples = (
        "kyosai forms preprinted --union 140001 --product group_life --unenrolled-only --out forms.pdf",)
    kyosai_group = "組合員"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--union", required=True, help="単組コード")
        parser.add_argument("--product", required=True, help="共済制度（コードまたは名称）")
        parser.add_argument("--as-of", help="基準日（既定は今日）")
        parser.add_argument("--unenrolled-only", action="store_true", help="未加入者だけ")
        parser.add_argument("--out", required=True, type=Path, help="出力するPDFファイル")

    def handle(self, *args: Any, **options: Any) -> None:
        union = union_option(options["union"])
        if union is None:  # --union "" (argparse only requires the option)
            raise CommandError("--union: 単組コードを指定してください。", returncode=2)
        product = product_option(options["product"])
        as_of = date_option(options["as_of"], "--as-of") or timezone.localdate()
        out: Path = options["out"]
        if not out.parent.is_dir():
            raise CommandError(f"--out: フォルダがありません: {out.parent}", returncode=2)
        pages = form_pages(CLI_ACCESS, union, product, as_of,
                           unenrolled_only=options["unenrolled_only"])
        if not pages:
            raise CommandError("該当する組合員がいません。PDFは作成していません。", returncode=2)
        out.write_bytes(render_pdf(pages, product, as_of))
        record_event(AuditEntry.Action.PRINT, object_type="members.member", object_id=union.code,
                     source=AuditEntry.Source.CLI,
                     detail={"command": "forms preprinted", "union": union.code,
                             "product": product.code, "as_of": as_of.isoformat(),
                             "unenrolled_only": options["unenrolled_only"], "pages": len(pages)})
        self.stdout.write(f"{out}: {len(pages):,} ページ")
