"""The `kyosai` command as a new user meets it: a fresh shell (no KYOSAI_*, no SECRET_KEY, no
DATABASE_URL), a KYOSAI_HOME of its own, the installed entry point run as a subprocess."""

import csv
import os
import socket
import stat
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NATIONAL = ROOT / "tests" / "fixtures" / "golden" / "national_summary.csv"
SCRIPT = Path(sys.executable).with_name("kyosai")
#: Besides KYOSAI_* and DJANGO_* (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process).
STRIPPED = ("SECRET_KEY", "SECRET_KEY_FILE", "DATABASE_URL", "ALLOWED_HOSTS",
            "CSRF_TRUSTED_ORIGINS", "LOG_LEVEL")


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("KYOSAI_", "DJANGO_")) and k not in STRIPPED}
    env.update({"KYOSAI_HOME": str(home), **extra})
    return env


def kyosai(home: Path, *argv: str, env: dict[str, str] | None = None, timeout: int = 180):
    command = [str(SCRIPT)] if SCRIPT.exists() else [
        sys.executable, "-c", "from kyosai.cli import main; main()"]
    return subprocess.run([*command, *argv], cwd=ROOT, env=env or clean_env(home),
                          capture_output=True, text=True, timeout=timeout, check=False)


def one_line_error(result) -> str:
    """A configuration problem: exit 2, one line on stderr, no traceback."""
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


@pytest.fixture
def home(tmp_path) -> Path:
    return tmp_path / "home"  # not created: the commands must make it (or leave it alone)


# --- commands that need neither the secret nor the database ------------------------------------

def test_help_groups_kyosais_commands_in_the_readmes_words_and_touches_nothing(home):
    result = kyosai(home, "--help")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for group in ("データ取込:", "目標・実績:", "計画:", "資料編:", "報告書:", "運用:"):
        assert f"\n{group}\n" in out
    assert out.index("データ取込:") < out.index("  import targets") < out.index("目標・実績:")
    assert out.index("計画:") < out.index("  plan summary") < out.index("資料編:")
    assert out.index("運用:") < out.index("  demo-data")
    assert "  import_targets" not in out
    assert "  migrate" not in out  # Django's own are under `kyosai django`
    assert "kyosai django help" in out
    assert not home.exists()  # no secret key, no database, no cache


def test_version_prints_the_installed_version(home):
    result = kyosai(home, "--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"kyosai {version('kyosai')}"


def test_a_scorecard_from_a_file_needs_no_secret_and_no_database(home):
    result = kyosai(home, "scorecard", "--input", str(NATIONAL), "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(result.stdout.splitlines()))
    with NATIONAL.open(encoding="utf-8") as handle:
        golden = list(csv.DictReader(handle))
    assert [(r["product_group"], r["metric"]) for r in rows] == [
        (r["product_group"], r["metric"]) for r in golden]
    assert not (home / "secret_key").exists()
    assert not (home / "kyosai.sqlite3").exists()


def test_help_for_a_first_word_shows_its_subcommands_with_usage_and_examples(home):
    for argv in (["help", "import"], ["import", "--help"], ["import"]):
        result = kyosai(home, *argv)
        assert result.returncode == 0, result.stderr
        for sub in ("import targets", "import results", "import plan", "import appendix"):
            assert f"usage: kyosai {sub} " in result.stdout
        assert "例: kyosai import targets" in result.stdout
        assert "--settings" not in result.stdout  # Django's common options are not the point


def test_help_for_one_command_shows_its_options_and_examples(home):
    for argv in (["help", "plan", "summary"], ["plan", "summary", "--help"]):
        result = kyosai(home, *argv)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("usage: kyosai plan summary ")
        assert "--period PERIOD" in result.stdout
        assert "例:\n  kyosai plan summary --period 2024H1" in result.stdout


@pytest.mark.parametrize(("typed", "nearest"), [
    (["imprt", "targets", "x.csv"], "kyosai import targets"),
    (["import", "targts", "x.csv"], "kyosai import targets"),
    (["scorecrd"], "kyosai scorecard"),
    (["demo_dat"], "kyosai demo-data"),
])
def test_an_unknown_command_names_the_nearest_one(home, typed, nearest):
    line = one_line_error(kyosai(home, *typed))
    assert line.endswith(f"もしかして: {nearest}")


def test_djangos_own_commands_run_under_kyosai_django(home):
    result = kyosai(home, "django", "help")
    assert result.returncode == 0
    assert "migrate" in result.stdout
    result = kyosai(home, "django", "check")
    assert result.returncode == 0, result.stderr
    result = kyosai(home, "help", "migrate")
    assert result.stdout.startswith("usage: kyosai django migrate ")


# --- zero configuration: the generated secret key -------------------------------------------

def test_init_generates_the_secret_key_once_with_mode_0600(home):
    first = kyosai(home, "init")
    assert first.returncode == 0, first.stderr
    key_file = home / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text().strip()
    assert len(key) >= 50
    assert len(set(key)) >= 5
    assert key not in first.stdout + first.stderr
    second = kyosai(home, "init")
    assert second.returncode == 0, second.stderr
    assert key_file.read_text().strip() == key


def test_a_key_from_the_environment_wins(home, tmp_path):
    env = clean_env(home, SECRET_KEY="k" * 20 + "environment-key-" + "x" * 30)
    assert kyosai(home, "init", env=env).returncode == 0
    assert not (home / "secret_key").exists()
    key_file = tmp_path / "key.txt"
    key_file.write_text("file-key-" + "y" * 50)
    env = clean_env(home, SECRET_KEY_FILE=str(key_file))
    assert kyosai(home, "init", env=env).returncode == 0
    assert not (home / "secret_key").exists()


def test_check_deploy_passes_with_the_generated_key_when_configured(home):
    assert kyosai(home, "init").returncode == 0
    env = clean_env(home, ALLOWED_HOSTS="kyosai.example.org",
                    KYOSAI_PERSONAL_DATA_RETENTION_DAYS="1825")
    result = kyosai(home, "check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr


# --- configuration problems: one line, exit 2 -------------------------------------------------

def test_a_home_whose_parent_is_missing_is_one_line(tmp_path):
    missing = tmp_path / "nonexistent" / "dir"
    line = one_line_error(kyosai(missing, "init"))
    assert "KYOSAI_HOME" in line
    assert str(missing) in line
    assert not missing.parent.exists()


def test_a_home_that_is_a_file_is_one_line(tmp_path):
    not_a_dir = tmp_path / "home"
    not_a_dir.write_text("")
    assert "ディレクトリではありません" in one_line_error(kyosai(not_a_dir, "init"))


def test_a_database_on_a_closed_port_is_one_line_without_the_password(home):
    url = f"postgres://kyosai:s3cret-pw@127.0.0.1:{closed_port()}/kyosai"
    line = one_line_error(kyosai(home, "init", env=clean_env(home, DATABASE_URL=url)))
    assert "データベースに接続できません" in line
    assert "DATABASE_URL" in line
    assert "s3cret-pw" not in line


def test_an_uninitialised_database_says_to_run_init(home):
    home.mkdir()
    line = one_line_error(kyosai(home, "imports"))
    assert "kyosai init" in line


def test_an_improperly_configured_setting_is_one_line(home):
    line = one_line_error(kyosai(home, "imports", env=clean_env(home, KYOSAI_ENV="staging")))
    assert line.startswith("kyosai: 設定エラー: KYOSAI_ENV='staging'")
    line = one_line_error(kyosai(home, "init", env=clean_env(home, KYOSAI_DEBUG="true")))
    assert "KYOSAI_DEBUG" in line  # production never runs with DEBUG


def test_kyosai_debug_in_development_shows_the_traceback(home):
    url = f"postgres://kyosai:kyosai@127.0.0.1:{closed_port()}/kyosai"
    env = clean_env(home, KYOSAI_ENV="development", KYOSAI_DEBUG="1", DATABASE_URL=url)
    result = kyosai(home, "init", env=env)
    assert result.returncode != 0
    assert "Traceback" in result.stderr


def test_serving_a_public_address_without_allowed_hosts_is_refused(home):
    assert kyosai(home, "init").returncode == 0
    line = one_line_error(kyosai(home, "serve", "--host", "0.0.0.0", "--port", "8000"))
    assert "ALLOWED_HOSTS" in line


def test_serve_refuses_a_database_without_its_tables(home):
    home.mkdir()
    line = one_line_error(kyosai(home, "serve", "--port", str(closed_port())))
    assert "kyosai init" in line
