"""Roster and contract imports keep their file by content, as every import does (so that it can be
reproduced), and `kyosai members purge --left-before DATE` removes the files of imports made
before DATE: they hold names and birth dates. A file a later import read again stays."""

import hashlib
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from kyosai.core import filestore
from kyosai.members.services import import_contracts, import_members
from kyosai.members.tests.conftest import CONTRACTS_HEADER, MEMBERS_HEADER, csv_bytes
from kyosai.results.models import ImportLog

NEW_MEMBER = "14001,30,試験 保存,シケン ホゾン,1999-09-09,女,2024-04-01,,regular,,0,"
BAD_MEMBER = "14001,31,試験 不正,シケン フセイ,1999-13-40,女,2024-04-01,,regular,,0,"


@pytest.fixture
def home(settings, tmp_path):
    settings.KYOSAI_HOME = tmp_path  # this test's files only
    return tmp_path


def _purge(day, *extra):
    out = io.StringIO()
    call_command("members_purge", "--left-before", day.isoformat(), *extra, stdout=out)
    return out.getvalue()


def test_an_import_keeps_its_file_by_content(roster, home):
    data = csv_bytes(MEMBERS_HEADER, [NEW_MEMBER])
    outcome = import_members("members3.csv", data)
    assert outcome.applied
    assert outcome.log is not None
    sha = hashlib.sha256(data).hexdigest()
    assert ImportLog.objects.get(pk=outcome.log.pk).sha256 == sha
    assert filestore.path_for(sha).read_bytes() == data


def test_a_refused_or_dry_run_file_leaves_no_copy(roster, home):
    bad = csv_bytes(MEMBERS_HEADER, [BAD_MEMBER])
    assert not import_members("bad.csv", bad).applied
    dry = csv_bytes(MEMBERS_HEADER, [NEW_MEMBER])
    assert not import_members("dry.csv", dry, dry_run=True).applied
    assert not filestore.path_for(hashlib.sha256(bad).hexdigest()).exists()
    assert not filestore.path_for(hashlib.sha256(dry).hexdigest()).exists()


def test_the_purge_removes_files_of_imports_made_before_the_date_only(roster, home):
    members = csv_bytes(MEMBERS_HEADER, [NEW_MEMBER])
    contracts = csv_bytes(CONTRACTS_HEADER, ["C900,14001,30,general,self,2024-05-01,,1,500,,"])
    assert import_members("m.csv", members).applied
    assert import_contracts("c.csv", contracts).applied
    paths = [filestore.path_for(hashlib.sha256(d).hexdigest()) for d in (members, contracts)]
    today = timezone.localdate()
    assert "名簿・契約ファイル 0 件" in _purge(today)  # made today: not before today
    assert all(path.is_file() for path in paths)
    assert "名簿・契約ファイル 2 件" in _purge(today + timedelta(days=1), "--dry-run")
    assert all(path.is_file() for path in paths)
    _purge(today + timedelta(days=1))
    assert not any(path.exists() for path in paths)


def test_a_file_read_again_after_the_date_stays(roster, home):
    data = csv_bytes(MEMBERS_HEADER, [NEW_MEMBER])
    first = import_members("m.csv", data)
    assert first.applied
    assert first.log is not None
    ImportLog.objects.filter(pk=first.log.pk).update(
        timestamp=timezone.now() - timedelta(days=40))
    assert import_members("m-again.csv", data).applied  # the same bytes, today
    _purge(timezone.localdate() - timedelta(days=10))
    assert filestore.path_for(hashlib.sha256(data).hexdigest()).is_file()
