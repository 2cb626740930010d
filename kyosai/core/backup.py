"""Backup and restore: one file holding a consistent snapshot of the database, the imported files
(KYOSAI_HOME/imports) and a manifest.

The file is a tar archive:

    manifest.json              format, kyosai version, database vendor, migration state, row
                               counts per table, SHA-256 and size of the payload and of every file
    database.sqlite3           SQLite: a copy made by the online backup API (sqlite3 backup)
    database.pgdump            PostgreSQL: pg_dump -Fc, taken in the snapshot the counts were read in
    imports/<sha[:2]>/<sha>    the imported files, by content

Both snapshots are taken while the app runs: SQLite's backup API copies a consistent state of
the pages; on PostgreSQL the counts and the migration state are read in a REPEATABLE READ
transaction whose snapshot pg_dump is given (--snapshot), so the manifest describes exactly the
dump. Restore checks everything before writing: the manifest, the vendor, the payload's checksum,
that every migration of the backup is known to this version (an older backup is migrated after
the restore), and that the database is empty unless forced; after the restore the row counts are
compared with the manifest.
"""

import contextlib
import datetime
import hashlib
import importlib.metadata
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from kyosai.core import filestore

if TYPE_CHECKING:
    from django.db.backends.postgresql.base import DatabaseWrapper as PostgreSQLWrapper
    from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper

__all__ = ["BOOKKEEPING", "BackupError", "Manifest", "backup", "read_manifest", "restore"]

FORMAT = "kyosai-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PAYLOAD = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
#: Tables Django fills by itself (migrate): a database holding rows only there is empty.
BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission"}
CHUNK = 1 << 20
_KEPT_FILE = re.compile(r"imports/([0-9a-f]{2})/\1[0-9a-f]{62}")


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is one Japanese line."""


@dataclass(frozen=True, slots=True)
class Manifest:
    data: dict[str, Any]  # manifest.json as parsed (JSON), its sections checked by read_manifest

    @property
    def vendor(self) -> str:
        return cast(str, self.data["database"]["vendor"])

    @property
    def tables(self) -> dict[str, int]:
        return cast(dict[str, int], self.data["tables"])

    @property
    def migrations(self) -> dict[str, list[str]]:
        return cast(dict[str, list[str]], self.data["migrations"])


# --- backup -------------------------------------------------------------------------------------


def backup(target: Path) -> Manifest:
    """Write a backup of the current database and imported files to `target`."""
    vendor = connection.vendor
    if vendor not in PAYLOAD:
        raise BackupError(f"{vendor} のデータベースはバックアップできません（SQLite と PostgreSQL のみ）。")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".kyosai-backup-") as work:
        payload = Path(work) / PAYLOAD[vendor]
        if vendor == "sqlite":
            tables, migrations = _sqlite_snapshot(payload)
        else:
            tables, migrations = _postgresql_snapshot(payload)
        files = {f"imports/{path.parent.name}/{path.name}": path
                 for path in sorted(filestore.imports_dir().glob("??/*")) if path.is_file()
                 and not path.name.startswith(".")}
        manifest = Manifest({
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "kyosai_version": importlib.metadata.version("kyosai"),
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "database": {"vendor": vendor, "server_version": _server_version()},
            "migrations": migrations,
            "tables": tables,
            "payload": {"name": payload.name, "size": payload.stat().st_size,
                        "sha256": _sha256(payload)},
            "files": {name: {"size": path.stat().st_size, "sha256": _sha256(path)}
                      for name, path in files.items()},
        })
        partial = Path(work) / "backup.tar"
        with tarfile.open(partial, "w") as tar:
            _add_bytes(tar, MANIFEST, json.dumps(manifest.data, ensure_ascii=False, indent=2,
                                                 sort_keys=True).encode())
            tar.add(payload, arcname=payload.name)
            for name, path in files.items():
                tar.add(path, arcname=name)
        os.replace(partial, target)
    return manifest


def _sqlite_snapshot(payload: Path) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Copy the live database with the online backup API, then read counts from the copy."""
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(payload)) as copy:
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        return _sqlite_counts(copy), _sqlite_migrations(copy)


def _sqlite_counts(db: sqlite3.Connection) -> dict[str, int]:
    names = [row[0] for row in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name")]
    return {name: db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}


def _sqlite_migrations(db: sqlite3.Connection) -> dict[str, list[str]]:
    try:
        rows = db.execute("SELECT app, name FROM django_migrations ORDER BY app, name").fetchall()
    except sqlite3.OperationalError:
        return {}
    return _by_app(rows)


def _postgresql_snapshot(payload: Path) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Counts and migrations read in one REPEATABLE READ snapshot, pg_dump run in the same one."""
    if connection.in_atomic_block:
        raise BackupError("トランザクションの中ではバックアップできません。")
    connection.ensure_connection()
    raw = connection.connection
    previous = raw.autocommit
    raw.autocommit = False
    try:
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            tables = _postgresql_counts(cursor)
            cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
            migrations = _by_app(cursor.fetchall())
            _run(["pg_dump", "-Fc", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                  "-f", str(payload)], "pg_dump")
        raw.rollback()
    finally:
        raw.autocommit = previous
    return tables, migrations


def _postgresql_counts(cursor: Any) -> dict[str, int]:
    names = [name for name in sorted(connection.introspection.table_names())]
    counts = {}
    for name in names:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")
        counts[name] = cursor.fetchone()[0]
    return counts


# --- restore ------------------------------------------------------------------------------------


def read_manifest(source: Path) -> Manifest:
    """The manifest of a backup file, checked for form (not yet against the payload)."""
    if not source.is_file():
        raise BackupError(f"{source}: ファイルが見つかりません。")
    try:
        with tarfile.open(source, "r") as tar:
            member = tar.getmember(MANIFEST)
            handle = tar.extractfile(member)
            if handle is None:  # not a regular file
                raise KeyError(MANIFEST)
            data = json.loads(handle.read().decode("utf-8"))
    except (tarfile.TarError, KeyError, OSError, UnicodeDecodeError, ValueError,
            AttributeError):
        raise BackupError(f"{source}: kyosai のバックアップではありません（manifest.json を読めません）。"
                          ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(f"{source}: kyosai のバックアップではありません。")
    if data.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"{source}: この版の kyosai が読めないバックアップ形式です"
                          f"（形式 {data.get('format_version')}）。")
    for key in ("database", "migrations", "tables", "payload", "files"):
        if not isinstance(data.get(key), dict):
            raise BackupError(f"{source}: manifest.json に {key} がありません。")
    return Manifest(data)


def restore(source: Path, *, force: bool = False) -> Manifest:
    """Restore a backup into the current database (empty, or any with force) and KYOSAI_HOME."""
    manifest = read_manifest(source)
    vendor = connection.vendor
    Path(settings.KYOSAI_HOME).mkdir(parents=True, exist_ok=True)
    if vendor == "sqlite" and not _sqlite_in_memory():
        Path(settings.DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    if manifest.vendor != vendor:
        raise BackupError(f"{source}: {VENDOR_NAMES.get(manifest.vendor, manifest.vendor)} のバックアップは "
                          f"{VENDOR_NAMES.get(vendor, vendor)} のデータベースには復元できません。")
    _check_migrations(source, manifest)
    for name in manifest.data["files"]:
        if not _KEPT_FILE.fullmatch(name):
            raise BackupError(f"{source}: manifest.json の取込ファイル名が不正です（{name[:80]}）。")
    if not force and not _database_is_empty():
        raise BackupError("復元先のデータベースは空ではありません。上書きする場合は --force を指定してください。")
    with tempfile.TemporaryDirectory(prefix="kyosai-restore-") as work, \
            tarfile.open(source, "r") as tar:
        payload = _extract_checked(tar, source, manifest.data["payload"]["name"],
                                   manifest.data["payload"], Path(work))
        files = {name: _extract_checked(tar, source, name, expected, Path(work))
                 for name, expected in manifest.data["files"].items()}
        if vendor == "sqlite":
            _restore_sqlite(payload)
        else:
            _restore_postgresql(payload)
        for name, path in files.items():
            digest = Path(name).name
            if _sha256(path) != digest:
                raise BackupError(f"{source}: {name} の内容が名前（SHA-256）と一致しません。")
            kept = filestore.path_for(digest)
            kept.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, kept)
    counts = _current_counts()
    differing = sorted(name for name, count in manifest.tables.items()
                       if counts.get(name) != count)
    if differing:
        raise BackupError(f"{source}: 復元後の行数がマニフェストと一致しません（{', '.join(differing[:5])}）。")
    return manifest


def _check_migrations(source: Path, manifest: Manifest) -> None:
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(f"{app}.{name}" for app, names in manifest.migrations.items()
                     for name in names if (app, name) not in known)
    if unknown:
        raise BackupError(f"{source}: この版の kyosai にないマイグレーション（{', '.join(unknown[:3])}）の"
                          f"データです。kyosai {manifest.data.get('kyosai_version', '?')} 以降で復元してください。")


def _database_is_empty() -> bool:
    with connection.cursor() as cursor:
        for name in connection.introspection.table_names(cursor):
            if name in BOOKKEEPING:
                continue
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(name)} LIMIT 1")
            if cursor.fetchone() is not None:
                return False
    return True


def _extract_checked(tar: tarfile.TarFile, source: Path, name: str, expected: Mapping[str, object],
                     work: Path) -> Path:
    """Copy one member out (never by the member's own path) and check its size and SHA-256."""
    try:
        member = tar.getmember(name)
    except KeyError:
        raise BackupError(f"{source}: {name} がバックアップにありません。") from None
    if not member.isfile():
        raise BackupError(f"{source}: {name} はファイルではありません。")
    out = work / hashlib.sha256(name.encode()).hexdigest()
    digest = hashlib.sha256()
    extracted = tar.extractfile(member)
    assert extracted is not None  # a regular file (checked above)
    with extracted as data, out.open("wb") as handle:
        while chunk := data.read(CHUNK):
            digest.update(chunk)
            handle.write(chunk)
    if digest.hexdigest() != expected.get("sha256") or out.stat().st_size != expected.get("size"):
        raise BackupError(f"{source}: {name} が壊れています（SHA-256 がマニフェストと一致しません）。")
    return out


def _restore_sqlite(payload: Path) -> None:
    """Copy the payload over the database with the backup API (a valid database either way)."""
    connection.close()
    if _sqlite_in_memory():
        raise BackupError("メモリ上のデータベースには復元できません。")
    name = settings.DATABASES["default"]["NAME"]
    with contextlib.closing(sqlite3.connect(payload)) as source:
        try:
            source.execute("PRAGMA quick_check").fetchone()
        except sqlite3.DatabaseError:
            raise BackupError("バックアップのデータベースが壊れています。") from None
        with contextlib.closing(sqlite3.connect(name)) as target:
            source.backup(target)
    connection.close()


def _sqlite_in_memory() -> bool:
    return cast("SQLiteWrapper", connection).is_in_memory_db()  # only asked of SQLite


def _restore_postgresql(payload: Path) -> None:
    """Drop our tables (an empty database has none but Django's), then pg_restore in one
    transaction."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor, include_views=True)
        views = {t.name for t in connection.introspection.get_table_list(cursor) if t.type == "v"}
        for kind, names in (("VIEW", views), ("TABLE", set(tables) - views)):
            if names:
                cursor.execute(f"DROP {kind} IF EXISTS "
                               + ", ".join(connection.ops.quote_name(t) for t in sorted(names))
                               + " CASCADE")
        # Functions of ours (e.g. a trigger's) would make pg_restore's CREATE FUNCTION fail.
        cursor.execute("SELECT p.oid::regprocedure::text FROM pg_proc p "
                       "JOIN pg_namespace n ON n.oid = p.pronamespace "
                       "WHERE n.nspname = current_schema() AND p.proowner = "
                       "(SELECT oid FROM pg_roles WHERE rolname = current_user)")
        for (function,) in cursor.fetchall():
            cursor.execute(f"DROP FUNCTION IF EXISTS {function} CASCADE")
    connection.close()
    _run(["pg_restore", "--no-owner", "--no-privileges", "--single-transaction",
          "--exit-on-error", "-d", _dbname(), str(payload)], "pg_restore")
    connection.close()


def _current_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for name in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")
            counts[name] = cursor.fetchone()[0]
    return counts


# --- shared -------------------------------------------------------------------------------------


def _by_app(rows: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for app, name in rows:
        out.setdefault(app, []).append(name)
    return out


def _server_version() -> str:
    if connection.vendor == "postgresql":
        return str(cast("PostgreSQLWrapper", connection).pg_version)
    return sqlite3.sqlite_version


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.datetime.now(datetime.UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


def _dbname() -> str:
    return settings.DATABASES["default"]["NAME"]


def _pg_environment() -> dict[str, str]:
    """libpq's variables for pg_dump/pg_restore: the password never appears on a command line."""
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                          ("PASSWORD", "PGPASSWORD"), ("NAME", "PGDATABASE")):
        value = db.get(key)
        if value:
            env[variable] = str(value)
    return env


def _run(argv: list[str], tool: str) -> None:
    if shutil.which(argv[0]) is None:
        raise BackupError(f"{tool} が見つかりません（PostgreSQL のクライアントを入れてください）。")
    done = subprocess.run(argv, env=_pg_environment(), capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        first = (done.stderr.strip().splitlines() or ["?"])[0]
        raise BackupError(f"{tool} が失敗しました: {first}")


