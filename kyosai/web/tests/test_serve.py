import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from kyosai.web.management.commands.serve import _gunicorn_options, _url_host

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("argv", [["--port", "0"], ["--port", "70000"], ["--workers", "0"]])
def test_serve_refuses_bad_options_with_status_2(argv):
    with pytest.raises(CommandError) as error:
        call_command("serve", *argv, stdout=io.StringIO())
    assert error.value.returncode == 2


def test_gunicorn_binds_ipv4_and_ipv6_hosts_with_threads():
    options = {"host": "::1", "port": 8000, "workers": 3, "threads": 4, "quiet": True}
    config = _gunicorn_options(options)
    assert config["bind"] == "[::1]:8000"
    assert config["worker_class"] == "gthread"
    assert config["accesslog"] is None
    assert _url_host("0.0.0.0") == "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]  # (host, port) of an AF_INET socket
        return port


def test_kyosai_serve_runs_gunicorn_and_prints_the_url(tmp_path):
    # its own SQLite under tmp_path, never the database DATABASE_URL names (CI's PostgreSQL)
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",
                                                              "DATABASE_URL")}
    env.update({"KYOSAI_ENV": "development", "KYOSAI_HOME": str(tmp_path)})
    kyosai = [sys.executable, "-c", "from kyosai.cli import main; main()"]
    subprocess.run([*kyosai, "init"], cwd=ROOT, env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen([*kyosai, "serve", "--port", str(port), "--workers", "1", "--quiet"],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    try:
        first_line = server.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in first_line
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/") as page:
                    assert page.status == 200
                    assert "ログイン" in page.read().decode()
                    assert page.headers["X-Frame-Options"] == "DENY"
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=15)
        server.stdout.close()


@pytest.fixture
def production(settings, monkeypatch):
    """Production settings as `kyosai serve` finds them with no ALLOWED_HOSTS in the environment.

    Every setting serve may change is overridden first, so the test's changes are undone after.
    """
    monkeypatch.delenv("ALLOWED_HOSTS", raising=False)
    settings.IS_PRODUCTION = True
    settings.ALLOWED_HOSTS = []
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    return settings


@pytest.mark.django_db
def test_production_on_loopback_answers_the_login_page_over_http(production):
    from django.test import Client

    from kyosai.web.management.commands.serve import local_only_settings

    assert Client().get("/accounts/login/", HTTP_HOST="127.0.0.1:8000").status_code == 400
    assert local_only_settings("127.0.0.1") is True
    client = Client()
    page = client.get("/accounts/login/", HTTP_HOST="127.0.0.1:8000")
    assert page.status_code == 200
    assert "ログイン" in page.content.decode()
    assert not page.cookies["csrftoken"]["secure"]
    home = client.get("/", HTTP_HOST="localhost:8000")
    assert home.status_code == 302
    assert home["Location"].startswith("/accounts/login/")  # not https://
    assert client.get("/accounts/login/", HTTP_HOST="kyosai.example.org").status_code == 400


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "kyosai.example.org"])
def test_production_refuses_a_public_address_without_allowed_hosts(production, host):
    from kyosai.web.management.commands.serve import local_only_settings

    with pytest.raises(CommandError) as error:
        local_only_settings(host)
    assert error.value.returncode == 2
    assert production.SECURE_SSL_REDIRECT is True


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost", "0.0.0.0"])
def test_with_allowed_hosts_every_production_setting_stays(production, monkeypatch, host):
    from kyosai.web.management.commands.serve import local_only_settings

    monkeypatch.setenv("ALLOWED_HOSTS", "kyosai.example.org")
    production.ALLOWED_HOSTS = ["kyosai.example.org"]
    assert local_only_settings(host) is False
    assert production.ALLOWED_HOSTS == ["kyosai.example.org"]
    assert production.SECURE_SSL_REDIRECT is True
    assert production.SESSION_COOKIE_SECURE is True


def test_loopback_addresses_are_recognised():
    from kyosai.web.management.commands.serve import is_loopback

    assert all(is_loopback(h) for h in ("127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "10.0.0.1", "example.org", ""))
