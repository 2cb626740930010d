"""Every command that hands out a table leaves one export entry, written one way
(`kyosai.core.audit.record_cli_export`).

`test_every_command_with_a_format_is_audited_as_an_export` walks every management command of the
kyosai apps that has a `--format` option (found through Django's `get_commands()`, so a command
added tomorrow is walked too), runs it with `--format csv` on a small federation (the permission
matrix's world with a roster, contracts, alerts and a subscription) and checks its one `export`
entry: source cli, the operating-system user, the command as typed, its object_type, the format
and the rows printed. A command needs its arguments in ARGUMENTS, or a reason in NOT_EXPORTS why
its `--format` is not an export's; a command in neither fails with a message saying so.

The other tests: the same in the table and json formats for the commands whose web pages also
export; `scorecard --input FILE` reads no database and writes no entry; `kyosai backup` (no
`--format`, the whole database in one file) is an export; `kyosai audit` does not list its own
entry.
"""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands, load_command_class

from kyosai.cli import kyosai_command_names, typed_words
from kyosai.core.audit import record_cli_export
from kyosai.core.models import AuditEntry
from kyosai.delivery.services import create_default_alerts
from kyosai.members.services import import_contracts, import_members
from kyosai.members.tests.conftest import CONTRACTS, CONTRACTS_HEADER, MEMBERS, MEMBERS_HEADER
from kyosai.members.tests.conftest import csv_bytes as roster_csv

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parents[1] / "fixtures" / "golden" / "national_summary.csv"


class Expect:
    """What one command is run with and the object_type its entry names."""

    def __init__(self, object_type: str, *args: str) -> None:
        self.object_type, self.args = object_type, list(args)


#: The arguments every command with a `--format` needs to print a table of the world.
ARGUMENTS: dict[str, Expect] = {
    "scorecard": Expect("results.scorecard", "--as-of", "2024-11", "--branch", "14"),
    "export_results": Expect("results.results", "--month", "2024-11"),
    "export_targets": Expect("results.targets", "--fiscal-year", "2024"),
    "targets_history": Expect("results.targethistory", "--fiscal-year", "2024"),
    "imports": Expect("results.importlog"),
    "plan_summary": Expect("plans.summary", "--period", "2024H1", "--owner", "14"),
    "appendix": Expect("activities.appendix", "new_hires", "--fiscal-year", "2024"),
    "events": Expect("events.event", "--period", "2024H1"),
    "activity_log_summary": Expect("workbench.summary", "--fiscal-year", "2024", "--as-of", "2024-11"),
    "activity_log_compliance": Expect("workbench.compliance", "--fiscal-year", "2024",
                                      "--as-of", "2024-11"),
    "members_unenrolled": Expect("members.member", "--product", "general",
                                 "--as-of", "2024-11-30", "--branch", "14"),
    "members_penetration": Expect("members.penetration", "--product", "general",
                                  "--as-of", "2024-11-30"),
    "members_transition": Expect("members.member", "--fiscal-year", "2024", "--union", "14001"),
    "members_inspections": Expect("members.contract", "--from", "2024-12", "--to", "2025-06"),
    "members_newhires": Expect("members.newhires", "--year", "2024", "--by", "union"),
    "audit": Expect("core.auditentry"),
    "alerts_list": Expect("delivery.alertrule"),
    "subscriptions_list": Expect("delivery.subscription"),
}

#: Commands whose `--format` chooses something other than how a table is handed out.
NOT_EXPORTS: dict[str, str] = {
    "report": "--format は報告書ファイルの形式（pdf,xlsx,html）: 作成は build として監査される",
    "subscriptions_add": "--format は購読するメールの添付形式: 登録（create）として監査される",
}

#: Tables the world leaves empty (the entry must still say 0 rows).
EMPTY: set[str] = set()


def commands_with_a_format() -> list[str]:
    """kyosai's management commands that take `--format`."""
    names = []
    for name in sorted(kyosai_command_names()):
        app = get_commands()[name]
        parser = load_command_class(app, name).create_parser("kyosai", name)
        if any("--format" in action.option_strings for action in parser._actions):
            names.append(name)
    return names


@pytest.fixture
def federation(world, settings):
    """The matrix's world with a roster and contracts (14001, 14002, 01001), every branch
    staff member's default alert and one subscription."""
    members = import_members("members.csv", roster_csv(MEMBERS_HEADER, MEMBERS))
    assert members.applied, members.errors
    contracts = import_contracts("contracts.csv", roster_csv(CONTRACTS_HEADER, CONTRACTS))
    assert contracts.applied, contracts.errors
    assert create_default_alerts() > 0
    call_command("subscriptions_add", "branch-14", "--branch", "14", stdout=io.StringIO())
    return world


def exports() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).order_by("pk"))


def test_the_walk_finds_the_known_table_commands():
    found = set(commands_with_a_format())
    assert {"scorecard", "members_unenrolled", "audit", "export_results"} <= found
    assert "backup" not in found
    stale = (set(ARGUMENTS) | set(NOT_EXPORTS)) - found
    assert not stale, f"ARGUMENTS / NOT_EXPORTS にあるが --format のないコマンド: {sorted(stale)}"


@pytest.mark.parametrize("name", commands_with_a_format())
def test_every_command_with_a_format_is_audited_as_an_export(federation, name):
    if name in NOT_EXPORTS:
        pytest.skip(NOT_EXPORTS[name])
    if name not in ARGUMENTS:
        pytest.fail(f"kyosai {typed_words(name)} has --format but is not in ARGUMENTS of "
                    f"{Path(__file__).name}: give its arguments there (it must write one export "
                    f"entry through record_cli_export) or say in NOT_EXPORTS why it is no export.")
    expect = ARGUMENTS[name]
    before = {entry.pk for entry in exports()}
    out = io.StringIO()
    call_command(name, *expect.args, "--format", "csv", stdout=out, stderr=io.StringIO())

    new = [entry for entry in exports() if entry.pk not in before]
    assert len(new) == 1, f"{name}: {len(new)} export entries"
    entry = new[0]
    assert entry.source == AuditEntry.Source.CLI
    assert entry.user is None
    assert entry.object_type == expect.object_type
    detail = entry.detail or {}
    assert detail["os_user"] is not None
    assert detail["command"] == typed_words(name)
    assert detail["format"] == "csv"
    assert detail["output"] == "stdout"
    printed = list(csv.reader(io.StringIO(out.getvalue())))[1:]  # after the header
    assert detail["rows"] == len(printed)
    if name not in EMPTY:
        assert printed, f"{name}: the world gives this command no rows to count"


def test_no_entry_carries_a_name_kana_or_birth_date(federation):
    for name, expect in ARGUMENTS.items():
        call_command(name, *expect.args, "--format", "csv", stdout=io.StringIO(),
                     stderr=io.StringIO())
    text = json.dumps([entry.detail for entry in exports()], ensure_ascii=False)
    people = [line.split(",") for line in MEMBERS]
    for _union, _no, name, kana, birth, *_rest in people:
        assert name not in text
        assert kana not in text
        assert birth not in text


def test_a_scope_with_personal_data_is_refused(world):
    command = load_command_class("kyosai.members", "members_unenrolled")
    with pytest.raises(ValueError, match="personal data"):
        record_cli_export(command, object_type="members.member", fmt="csv", rows=1,
                          scope={"name": "試験 一郎"})
    assert not exports()


# --- the same in the other formats, for the tables a web page also exports -----------------------

COMMANDS = [
    ("scorecard", ["--as-of", "2024-11", "--branch", "14"], "results.scorecard", "2024-11"),
    ("plan_summary", ["--period", "2024H1", "--owner", "14"], "plans.summary", "2024H1/14"),
    ("members_penetration", ["--product", "general", "--as-of", "2024-11-30"],
     "members.penetration", "general"),
    ("members_newhires", ["--year", "2024", "--by", "union"], "members.newhires", "2024"),
    ("events", ["--period", "2024H1"], "events.event", "2024H1"),
    ("targets_history", ["--fiscal-year", "2024"], "results.targethistory", "2024/official"),
    ("activity_log_summary", ["--fiscal-year", "2024", "--as-of", "2024-11"],
     "workbench.summary", "2024/2024-11"),
    ("activity_log_compliance", ["--fiscal-year", "2024", "--as-of", "2024-11"],
     "workbench.compliance", "2024/2024-11"),
]


@pytest.mark.parametrize("fmt", ["table", "json"])  # csv: the walk above
@pytest.mark.parametrize(("command", "args", "object_type", "object_id"), COMMANDS,
                         ids=[c[0] for c in COMMANDS])
def test_a_command_printing_a_table_is_audited_as_an_export(world, command, args, object_type,
                                                            object_id, fmt):
    out = io.StringIO()
    call_command(command, *args, "--format", fmt, stdout=out, stderr=io.StringIO())
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.source == AuditEntry.Source.CLI
    assert (entry.object_type, entry.object_id) == (object_type, object_id)
    detail = entry.detail or {}
    assert detail["format"] == fmt
    assert "os_user" in detail
    if fmt == "json":  # the rows counted are the rows printed
        assert detail["rows"] == len(json.loads(out.getvalue()))


def test_the_scorecard_of_a_file_writes_no_entry(world):
    out = io.StringIO()
    call_command("scorecard", "--input", str(FIXTURE), stdout=out, stderr=io.StringIO())
    assert out.getvalue().strip()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


# --- the commands without --format that hand data out -------------------------------------------

@pytest.mark.django_db(transaction=True)  # SQLite's online backup waits for an open transaction
def test_a_backup_is_an_export_of_every_row(federation, tmp_path):
    from kyosai.core.backup import read_manifest

    target = tmp_path / "kyosai.backup"
    call_command("backup", str(target), stdout=io.StringIO())
    [entry] = exports()
    manifest = read_manifest(target)
    assert entry.source == AuditEntry.Source.CLI
    assert entry.object_type == "core.backup"
    detail = entry.detail or {}
    assert detail["command"] == "backup"
    assert detail["rows"] == sum(manifest.tables.values())
    assert detail["tables"] == len(manifest.tables)
    assert detail["output"] == str(target)
    assert detail["sha256"] == manifest.data["payload"]["sha256"]


def test_the_audit_listing_is_audited_but_does_not_list_itself(federation):
    first = json.loads(_run("audit", "--action", "export", "--format", "json"))
    assert first == []
    second = json.loads(_run("audit", "--action", "export", "--format", "json"))
    assert [row["object_type"] for row in second] == ["core.auditentry"]
    assert second[0]["detail"]["rows"] == 0
    assert second[0]["detail"]["action"] == "export"


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()
