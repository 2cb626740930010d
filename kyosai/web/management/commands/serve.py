"""kyosai serve: the web application on gunicorn (the server `make demo` uses).

Production without ALLOWED_HOSTS is the single-machine case: serve binds a loopback address only
and then answers to localhost/127.0.0.1/[::1] over plain http (no https redirect, cookies without
the Secure flag: nothing leaves the machine). Any other address demands ALLOWED_HOSTS and TLS in
front (a proxy setting X-Forwarded-Proto), and then every production setting stays as it is.
"""

import ipaddress
import os
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from kyosai.accounts.services import DEMO_PASSWORD, demo_logins

if TYPE_CHECKING:
    from django.core.handlers.wsgi import WSGIHandler

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def local_only_settings(host: str) -> bool:
    """Production with no ALLOWED_HOSTS: allow the loopback names over http, on loopback only.

    Returns whether it did so; a public address without ALLOWED_HOSTS is a CommandError.
    """
    if not settings.IS_PRODUCTION or os.getenv("ALLOWED_HOSTS", "").strip():
        return False
    if not is_loopback(host):
        raise CommandError(
            f"--host {host} で公開するには ALLOWED_HOSTS（サイトのホスト名）を設定し、TLS を終端する"
            "プロキシの後ろで起動してください。このマシンだけで使うなら --host 127.0.0.1 です。",
            returncode=2)
    settings.ALLOWED_HOSTS = list(LOOPBACK_HOSTS)
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    return True


def unapplied_migrations() -> int:
    from django.db import DEFAULT_DB_ALIAS
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def default_workers() -> int:
    """One process per core and one more: a dashboard served from its previous computation waits
    on the database and the cache, not the CPU, so threads (8 per worker) carry the concurrency;
    more processes than cores only fight over them (benchmarks/load_bench.py, README *Load*)."""
    return min(8, (os.cpu_count() or 1) + 1)


class Command(BaseCommand):
    kyosai_group = "運用"
    kyosai_examples = (
        "kyosai serve",
        "kyosai serve --host 127.0.0.1 --port 8080 --workers 2",
    )
    help = "Web アプリケーションを gunicorn で起動します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="待ち受けるアドレス（既定: 127.0.0.1）")
        parser.add_argument("--port", type=int, default=8000, help="ポート番号（既定: 8000）")
        parser.add_argument("--workers", type=int, default=default_workers(),
                            help="ワーカープロセス数（既定: CPU数+1、最大8）")
        parser.add_argument("--threads", type=int, default=8, help="ワーカーあたりのスレッド数（既定: 8）")
        parser.add_argument("--no-collectstatic", action="store_true",
                            help="起動前の静的ファイル収集（本番のみ）を省きます")
        parser.add_argument("--quiet", action="store_true", help="アクセスログを出しません")

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 < options["port"] < 65536:
            raise CommandError(f"--port {options['port']}: 1〜65535 を指定してください。", returncode=2)
        if options["workers"] < 1 or options["threads"] < 1:
            raise CommandError("--workers と --threads は 1 以上を指定してください。", returncode=2)
        local = local_only_settings(options["host"])
        if unapplied_migrations():
            raise CommandError("データベースが最新ではありません。kyosai init を実行してください。",
                               returncode=2)
        str(settings.SECRET_KEY)  # generated now if need be: a problem shows here, not per request
        if not settings.DEBUG and not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        url = f"http://{_url_host(options['host'])}:{options['port']}/"
        self.stdout.write(f"kyosai を {url} で起動します（{options['workers']} ワーカー、"
                          f"環境: {settings.KYOSAI_ENV}）。終了は Ctrl+C。")
        if local:
            self.stdout.write("ALLOWED_HOSTS が未設定のため、このマシンからの http 接続だけを受け付けます。")
        if settings.KYOSAI_ENV == "development":
            self._print_demo_logins()
        self.stdout.flush()
        connections.close_all()  # never share a connection with the forked workers
        KyosaiServer(_gunicorn_options(options)).run()

    def _print_demo_logins(self) -> None:
        logins = demo_logins()
        if not logins:
            self.stdout.write("デモ利用者はまだいません（kyosai demo-data で作成します）。")
            return
        self.stdout.write(f"デモ用ログイン（パスワードはすべて {DEMO_PASSWORD}、デモ専用）:")
        shown = [row for row in logins if not row[0].startswith("branch-")]
        branches = [row for row in logins if row[0].startswith("branch-")]
        for username, what in shown + branches[:3]:
            self.stdout.write(f"  {username:<16} {what}")
        if len(branches) > 3:
            self.stdout.write(f"  …ほか branch-CODE が全 {len(branches)} 県支部分")


def _url_host(host: str) -> str:
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


def _gunicorn_options(options: dict[str, Any]) -> dict[str, Any]:
    host = options["host"]
    bind = f"[{host}]:{options['port']}" if ":" in host else f"{host}:{options['port']}"
    return {
        "bind": bind,
        "workers": options["workers"],
        "worker_class": "gthread",
        "threads": options["threads"],
        "timeout": 60,
        "graceful_timeout": 10,
        "accesslog": None if options["quiet"] else "-",
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "kyosai",
    }


def _application() -> "WSGIHandler":
    from kyosai.wsgi import application

    return application


class KyosaiServer:
    """A gunicorn application embedded in the command (no second configuration file)."""

    def __init__(self, options: dict[str, Any]) -> None:
        from gunicorn.app.base import BaseApplication

        outer = self

        class _App(BaseApplication):  # type: ignore[misc]  # gunicorn ships no type hints
            def load_config(self) -> None:
                for key, value in outer.options.items():
                    if value is not None:
                        self.cfg.set(key, value)

            def load(self) -> "WSGIHandler":
                return _application()

        self.options = options
        self._app = _App()

    def run(self) -> None:
        self._app.run()
