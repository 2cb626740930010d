"""kyosai backup / restore: a snapshot with a manifest, restored into a fresh database, gives the
same scorecard, plan summary, appendix tables and import log; a bad or foreign file is refused in
one Japanese line (exit 2) before anything is written.

The fresh database is another process's (`kyosai restore` run as the CLI is): on SQLite a new file,
on PostgreSQL (DATABASE_URL) a new database beside the test database, dropped afterwards.
"""

import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from kyosai.core.backup import read_manifest
from kyosai.org.models import Branch, Union

ROOT = Path(__file__).resolve().parents[3]
PLAN = ROOT / "kyosai" / "plans" / "data" / "plan-2024H1.yaml"
APPENDIX = ROOT / "kyosai" / "activities" / "data"

#: The outputs compared, as `kyosai …` arguments (the CLI's words joined to a command name).
OUTPUTS = {
    "scorecard": ["scorecard", "--as-of", "2024-11", "--format", "csv"],
    "scorecard_branch": ["scorecard", "--as-of", "2024-11", "--branch", "14", "--format", "csv"],
    "plan_summary": ["plan_summary", "--period", "2024H1", "--format", "csv"],
    "appendix_new_hires": ["appendix", "new_hires", "--fiscal-year", "2024", "--format", "csv"],
    "appendix_small_lot_life": ["appendix", "small_lot_life", "--fiscal-year", "2024",
                                "--format", "csv"],
    "imports": ["imports", "--format", "json"],
}

RESTORE_AND_PRINT = """
import io, json, sys
import django
django.setup()
from django.core.management import call_command
call_command("restore", sys.argv[1], stdout=io.StringIO())
outputs = {}
for key, argv in json.loads(sys.argv[2]).items():
    out = io.StringIO()
    call_command(*argv, stdout=out)
    outputs[key] = out.getvalue()
print(json.dumps(outputs))
"""

HEADER = "month,branch,union,product,measure,value\n"


def run(*argv: str) -> str:
    out = io.StringIO()
    call_command(*argv, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def federation(settings, tmp_path):
    settings.KYOSAI_HOME = tmp_path / "home"  # this test's imported files only
    run("init")
    tokyo = Branch.objects.get(code="14")
    Union.objects.create(code="140001", name="第一単組", branch=tokyo)
    Union.objects.create(code="140002", name="第二単組", branch=tokyo)
    targets = tmp_path / "targets.csv"
    targets.write_text("fiscal_year,kind,branch,union,product,measure,value\n"
                       "2024,official,14,140001,general,holdings,100\n"
                       "2024,official,14,140002,general,holdings,50\n"
                       "2024,official,13,,general,holdings,80\n", encoding="utf-8")
    results = tmp_path / "results.csv"
    results.write_text(HEADER + "2024-11,14,140001,general,holdings,90\n"
                                "2024-11,14,140002,general,holdings,55\n"
                                "2024-11,13,,general,holdings,81\n"
                                "2023-11,14,140001,general,holdings,70\n", encoding="utf-8")
    replaced = tmp_path / "results-fix.csv"
    replaced.write_text(HEADER + "2024-11,14,140002,general,holdings,56\n", encoding="utf-8")
    run("import_targets", str(targets), "--verbosity", "0")
    run("import_results", str(results), "--verbosity", "0")
    run("import_results", str(replaced), "--verbosity", "0")
    run("import_plan", str(PLAN), "--no-branch-plans")
    for kind in ("new_hires", "small_lot_life"):
        run("import_appendix", kind, str(APPENDIX / f"{kind}.csv"), "--fiscal-year", "2024")


@pytest.fixture
def fresh_database(tmp_path):
    """The environment of a process on a fresh, empty database."""
    home = tmp_path / f"restored-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "KYOSAI_ENV": "test", "KYOSAI_HOME": str(home),
           "DJANGO_SETTINGS_MODULE": "kyosai.settings"}
    if connection.vendor != "postgresql":
        env["DATABASE_URL"] = f"sqlite:///{home / 'fresh.sqlite3'}"
        yield env, home
        return
    db = settings.DATABASES["default"]
    name = f"{db['NAME']}_restore"[:63]
    quoted = connection.ops.quote_name(name)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
        cursor.execute(f"CREATE DATABASE {quoted}")
    env["DATABASE_URL"] = (f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}"
                           f":{db['PORT'] or 5432}/{name}")
    try:
        yield env, home
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_a_fresh_database_gives_the_same_outputs(
        federation, fresh_database, tmp_path):
    expected = {key: run(*argv) for key, argv in OUTPUTS.items()}
    assert "第一単組" not in expected["scorecard"]  # nothing personal, but the data is there:
    assert len(json.loads(expected["imports"])) == 6  # targets, 2 × results, plan, 2 × appendix
    assert "14" in expected["scorecard_branch"]

    target = tmp_path / "kyosai.backup"
    out = run("backup", str(target))
    assert "バックアップしました" in out
    manifest = read_manifest(target)
    assert manifest.vendor == connection.vendor
    assert manifest.tables["results_monthlyresult"] == 4
    assert manifest.tables["results_importlog"] == 6
    # the plan's 7 tables; new_hires; small_lot_life and the unions it names
    assert manifest.tables["results_importsnapshot"] == 7 + 1 + 2
    assert "0002_import_revert" in manifest.migrations["results"]
    assert len(manifest.data["files"]) == 6

    env, home = fresh_database
    done = subprocess.run([sys.executable, "-c", RESTORE_AND_PRINT, str(target),
                           json.dumps(OUTPUTS)], env=env, capture_output=True, text=True,
                          cwd=ROOT, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    restored = json.loads(done.stdout)
    for key in OUTPUTS:
        assert restored[key] == expected[key], key
    kept = sorted(p.name for p in (home / "imports").glob("??/*"))
    assert kept == sorted(Path(name).name for name in manifest.data["files"])


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_non_empty_database_without_force(federation, tmp_path):
    target = tmp_path / "kyosai.backup"
    run("backup", str(target))
    with pytest.raises(CommandError, match=r"空ではありません.*--force") as refused:
        run("restore", str(target))
    assert refused.value.returncode == 2


def _rewrite(source: Path, target: Path, change) -> None:
    """Copy a backup, passing each member's (name, bytes) through change()."""
    with tarfile.open(source) as tar_in, tarfile.open(target, "w") as tar_out:
        for member in tar_in.getmembers():
            extracted = tar_in.extractfile(member)
            assert extracted is not None  # a backup holds regular files only
            data = extracted.read()
            data = change(member.name, data)
            member.size = len(data)
            tar_out.addfile(member, io.BytesIO(data))


@pytest.mark.django_db(transaction=True)
def test_a_corrupt_foreign_or_newer_backup_is_refused_in_one_line(federation, tmp_path):
    good = tmp_path / "good.backup"
    run("backup", str(good))
    payload = read_manifest(good).data["payload"]["name"]

    corrupt = tmp_path / "corrupt.backup"
    _rewrite(good, corrupt, lambda name, data: data[:-1] + bytes([data[-1] ^ 1])
             if name == payload else data)

    def manifest_change(**changes):
        def change(name, data):
            if name != "manifest.json":
                return data
            manifest = json.loads(data)
            for key, value in changes.items():
                manifest[key] = {**manifest[key], **value}
            return json.dumps(manifest).encode()
        return change

    newer = tmp_path / "newer.backup"
    _rewrite(good, newer, manifest_change(migrations={"results": ["9999_from_the_future"]}))
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    foreign = tmp_path / "foreign.backup"
    _rewrite(good, foreign, manifest_change(database={"vendor": other}))
    escaping = tmp_path / "escaping.backup"
    _rewrite(good, escaping, manifest_change(
        files={"imports/../../kyosai.sqlite3": {"size": 1, "sha256": "0" * 64}}))
    not_a_backup = tmp_path / "plain.txt"
    not_a_backup.write_text("kyosai", encoding="utf-8")

    before = run("imports", "--format", "json")
    for path, reason in ((corrupt, "壊れています"), (newer, "この版の kyosai にないマイグレーション"),
                         (foreign, "には復元できません"), (escaping, "取込ファイル名が不正"), (not_a_backup, "バックアップではありません"),
                         (tmp_path / "missing", "見つかりません")):
        with pytest.raises(CommandError, match=reason) as refused:
            run("restore", str(path), "--force")
        assert refused.value.returncode == 2
        assert "\n" not in str(refused.value)
    assert run("imports", "--format", "json") == before
