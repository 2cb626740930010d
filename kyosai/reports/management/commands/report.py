"""`kyosai report --as-of 2024-11 --period 2024H1 --out DIR [--format pdf,xlsx,html]`, or
`kyosai report --edition 2024H1 --out DIR`: the edition HQ prepared (its months and narratives)."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from tqdm import tqdm

from kyosai.core.audit import record_event
from kyosai.core.models import AuditEntry
from kyosai.domain.periods import InvalidMonth, YearMonth
from kyosai.domain.reporting import HalfYear
from kyosai.reports.models import ReportBuild
from kyosai.reports.services import generate_report, parse_formats, run_build, step_count


class Command(BaseCommand):
    kyosai_group = "報告書"
    kyosai_examples = (
        "kyosai report --as-of 2024-11 --period 2024H1 --out out/",
        "kyosai report --as-of 2024-11 --period 2024H1 --out out/ --format pdf",
        "kyosai report --edition 2024H1 --out out/",
    )
    help = "上半期・下半期の報告書を PDF・Excel・HTML で作成します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--edition", help="版の期（例: 2024H1）: 版の基準月・制度別の基準月・本文で作成")
        parser.add_argument("--as-of", help="実績の基準月（YYYY-MM、例: 2024-11）")
        parser.add_argument("--period", help="報告の期（例: 2024H1）")
        parser.add_argument("--out", help="出力先のディレクトリ")
        parser.add_argument("--format", default="pdf,xlsx,html",
                            help="形式（pdf,xlsx,html のいずれか、カンマ区切り）")
        parser.add_argument("--build", type=int, help="画面から依頼された作成を実行する（内部用）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["build"] is not None:
            self._run_build(options["build"])
            return
        edition = None
        if options["edition"]:
            edition = self._edition(options)
        as_of, period, out, formats = self._arguments(options)
        text = None
        build = None
        if edition is not None:
            from kyosai.accounts.access import SYSTEM
            from kyosai.reports.selectors import edition_text

            text = edition_text(edition, access=SYSTEM)
            build = ReportBuild.objects.create(
                period=edition.period, as_of=edition.as_of, formats=",".join(formats),
                edition=edition, status=ReportBuild.Status.RUNNING, step="コマンドで作成")
        with tqdm(total=step_count(formats), desc="報告書", unit="工程", file=sys.stderr,
                  disable=False) as bar:
            def progress(step: str) -> None:
                bar.set_postfix_str(step)
                bar.update(1)

            try:
                written = generate_report(as_of, period, out, formats, progress=progress,
                                          edition=text)
            except Exception as exc:
                if build is not None:
                    ReportBuild.objects.filter(pk=build.pk).update(
                        status=ReportBuild.Status.FAILED, error=f"{type(exc).__name__}: {exc}",
                        finished_at=timezone.now())
                raise
        if build is not None:
            ReportBuild.objects.filter(pk=build.pk).update(
                status=ReportBuild.Status.DONE, progress=100, step="完了（コマンドで作成）",
                finished_at=timezone.now())
        record_event(AuditEntry.Action.BUILD, source=AuditEntry.Source.CLI,
                     object_type="reports.report", object_id=str(period),
                     object_repr=f"報告書 {period} {as_of}",
                     detail={"period": str(period), "as_of": str(as_of), "formats": list(formats),
                             "files": [str(path) for path in written.values()]})
        for fmt, path in written.items():
            self.stdout.write(f"{fmt}: {path}")

    def _edition(self, options: dict[str, Any]) -> Any:
        from kyosai.accounts.access import SYSTEM
        from kyosai.reports.selectors import edition_for

        if options["as_of"] or options["period"]:
            raise CommandError("--edition と --as-of・--period は同時に指定できません（版の基準月を使います）",
                               returncode=2)
        try:
            period = HalfYear.parse(options["edition"])
        except ValueError as exc:
            raise CommandError(f"--edition: {exc}", returncode=2) from None
        edition = edition_for(str(period), access=SYSTEM)
        if edition is None:
            raise CommandError(f"--edition: {period} の版がありません", returncode=2)
        options["as_of"], options["period"] = edition.as_of, edition.period
        return edition

    def _arguments(self, options: dict[str, Any]) -> tuple[YearMonth, HalfYear, Path, list[str]]:
        missing = [name for name in ("as_of", "period", "out") if not options[name]]
        if missing:
            names = "、".join("--" + name.replace("_", "-") for name in missing)
            raise CommandError(f"{names} を指定してください", returncode=2)
        try:
            as_of = YearMonth.parse(options["as_of"])
        except InvalidMonth as exc:
            raise CommandError(f"--as-of: {exc}", returncode=2) from None
        try:
            period = HalfYear.parse(options["period"])
        except ValueError as exc:
            raise CommandError(f"--period: {exc}", returncode=2) from None
        try:
            formats = parse_formats(options["format"])
        except ValueError as exc:
            raise CommandError(f"--format: {exc}", returncode=2) from None
        out = Path(options["out"])
        if out.exists() and not out.is_dir():
            raise CommandError(f"--out: ディレクトリではありません: {out}", returncode=2)
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"--out: ディレクトリを作成できません: {out}（{exc.strerror}）",
                               returncode=2) from None
        return as_of, period, out, formats

    def _run_build(self, pk: int) -> None:
        if not ReportBuild.objects.filter(pk=pk).exists():
            raise CommandError(f"--build: 作成依頼 {pk} が見つかりません", returncode=2)
        try:
            run_build(pk)
        except Exception as exc:
            raise CommandError(f"報告書の作成に失敗しました: {exc}") from exc
