"""The commands that print the organisation's tables leave an export entry, as their web pages do.

`kyosai export`, `plan export`, `appendix` and the lifecycle lists were audited already
(kyosai/core/tests/test_audit_trail.py, kyosai/members/tests); these are the rest of the tables a
page also exports: the scorecard, the plan's rating tally, penetration, the new-hire cohort, the\nevents, the targets' revisions and the activity log's summary and compliance.
Each run in every format is one `export` entry from the command line (source cli, the operating
system user), naming what was printed and how many rows. `scorecard --input FILE` reads no
database and writes no entry.
"""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from kyosai.core.models import AuditEntry

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parents[1] / "fixtures" / "golden" / "national_summary.csv"

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


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
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
    if fmt == "csv":  # the rows counted are the rows printed (after the header)
        assert detail["rows"] == len(out.getvalue().splitlines()) - 1


def test_the_scorecard_of_a_file_writes_no_entry(world):
    out = io.StringIO()
    call_command("scorecard", "--input", str(FIXTURE), stdout=out, stderr=io.StringIO())
    assert out.getvalue().strip()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()
