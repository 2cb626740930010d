"""kyosai createuser: a real user with a role and their branch or union."""

import getpass
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kyosai.accounts.models import Role
from kyosai.accounts.services import AccountError, create_user


class Command(BaseCommand):
    kyosai_group = "運用"
    kyosai_examples = (
        "kyosai createuser tanaka hq_staff",
        "kyosai createuser suzuki branch_staff --branch 14 --password-file pw.txt",
    )
    help = "利用者を作成します（役割: " + "、".join(f"{r.value}={r.label}" for r in Role) + "）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="ログインID")
        parser.add_argument("role", choices=Role.values, help="役割")
        parser.add_argument("--branch", metavar="CODE", help="県支部コード（県支部職員・閲覧者）")
        parser.add_argument("--union", metavar="CODE", help="単組コード（単組役員・閲覧者）")
        parser.add_argument("--email", default="")
        parser.add_argument("--password-file", type=Path, metavar="FILE",
                            help="パスワードを1行目に書いたファイル（省略時は入力を求めます）")

    def handle(self, *args: Any, **options: Any) -> None:
        password = self._password(options["password_file"])
        try:
            user = create_user(options["username"], options["role"], password=password,
                               branch_code=options["branch"], union_code=options["union"],
                               email=options["email"])
        except AccountError as exc:
            raise CommandError(str(exc), returncode=2) from None
        membership = user.membership
        place = membership.union or membership.branch or "本部"
        self.stdout.write(f"利用者 {user.username}（{membership.get_role_display()}・{place}）を作成しました。")

    def _password(self, path: Path | None) -> str:
        if path is not None:
            if not path.is_file():
                raise CommandError(f"{path}: ファイルが見つかりません。", returncode=2)
            lines = path.read_text(encoding="utf-8").splitlines()
            if not lines or not lines[0].strip():
                raise CommandError(f"{path}: 1行目にパスワードがありません。", returncode=2)
            return lines[0].strip()
        if not sys.stdin.isatty():
            raise CommandError("端末がないためパスワードを入力できません。--password-file FILE を指定してください。",
                               returncode=2)
        first = getpass.getpass("パスワード: ")
        if first != getpass.getpass("パスワード（確認）: "):
            raise CommandError("パスワードが一致しません。", returncode=2)
        return first
