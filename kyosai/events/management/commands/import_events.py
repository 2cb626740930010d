"""kyosai import events [FILE]: load HQ's events from a YAML transcription (idempotent)."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from kyosai.domain.events import InvalidEvent
from kyosai.domain.problems import FileProblems
from kyosai.events.files import load_event_file
from kyosai.events.services import DEFAULT_DATA, import_events


class Command(BaseCommand):
    kyosai_group = "活動"
    kyosai_examples = (
        "kyosai import events",
        "kyosai import events events-2025H1.yaml",
    )
    help = "本部の会議・行事（資料編 Ⅱ–Ⅳ）を YAML から取り込みます。同じ内容なら何も変えません。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_DATA,
                            help=f"YAML ファイル（省略時 {DEFAULT_DATA.name}）")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"ファイルが見つかりません: {path}", returncode=2)
        try:
            drafts = load_event_file(path)
        except FileProblems as error:
            raise CommandError(
                "取り込めません（何も書き込んでいません）:\n"
                + "\n".join(problem.describe(str(path)) for problem in error.errors),
                returncode=2) from error
        try:
            with tqdm(total=len(drafts), desc="会議・行事", file=sys.stderr,
                      disable=options["verbosity"] < 1) as bar:
                summary = import_events(drafts, progress=bar.update, file_name=path.name,
                                        data=path.read_bytes())
        except InvalidEvent as error:
            raise CommandError("取り込めません（何も書き込んでいません）:\n" + str(error),
                               returncode=2) from error
        self.stdout.write(summary.message() + f"。取込番号 {summary.log_id}")
