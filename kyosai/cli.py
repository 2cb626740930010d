"""The `kyosai` command: Django's management commands with the project's words.

`kyosai import targets FILE` runs the command `import_targets FILE`, `kyosai plan summary` runs
`plan_summary`, `kyosai demo-data` runs `demo_data`: a first word joined to the second names a
command when such a command exists. `kyosai --help` lists kyosai's own commands (those of the
installed `kyosai.*` apps) grouped by each Command's `kyosai_group` (運用 when it has none), with
the first sentence of its `help`; `kyosai help import` and `kyosai import --help` show a word's
subcommands, `kyosai help import targets` one command with its options and `kyosai_examples`.
Django's own commands run under `kyosai django …` (and still by their names, unlisted).

Configuration problems (ImproperlyConfigured, an unreachable or uninitialised database, an
unusable KYOSAI_HOME) end as one Japanese line on stderr and exit status 2; KYOSAI_DEBUG=1 in
development shows the traceback instead.
"""

import argparse
import difflib
import os
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.core.management.base import BaseCommand, CommandParser

#: The order of the groups in `kyosai --help` (a group not listed here comes after them).
GROUPS = ("データ取込", "目標・実績", "計画", "資料編", "報告書", "組合員", "活動", "運用")
DEFAULT_GROUP = "運用"
HELP_FLAGS = ("-h", "--help")
EXIT_CONFIG = 2
#: Options every Django command has; kyosai's help leaves them out (they still work).
DJANGO_OPTIONS = {"--version", "--verbosity", "--settings", "--pythonpath", "--traceback",
                  "--no-color", "--force-color", "--skip-checks"}


@dataclass(frozen=True)
class Entry:
    """One of kyosai's commands as the CLI shows it."""

    name: str  # the management command: import_targets
    words: str  # as typed: import targets
    group: str = DEFAULT_GROUP
    summary: str = ""
    examples: tuple[str, ...] = field(default=())


def command_words(names: set[str]) -> dict[str, str]:
    """How each command is typed: `import_targets` → `import targets` when other commands share
    the first word (`import`), else one hyphenated word (`demo_data` → `demo-data`)."""
    heads = Counter(name.split("_", 1)[0] for name in names if "_" in name)
    words = {}
    for name in names:
        head, _, rest = name.partition("_")
        if rest and heads[head] > 1:
            words[name] = f"{head} {rest.replace('_', '-')}"
        else:
            words[name] = name.replace("_", "-")
    return words


def resolve(argv: list[str], known: set[str]) -> tuple[str | None, int]:
    """The command the words name and how many words that took (pure, for tests)."""
    if not argv:
        return None, 0
    first = argv[0].replace("-", "_")
    if len(argv) > 1 and not argv[1].startswith("-"):
        joined = f"{first}_{argv[1].replace('-', '_')}"
        if joined in known:
            return joined, 2
    if first in known:
        return first, 1
    return None, 0


def summary_of(help_text: str) -> str:
    """The first line of a command's help, cut after its first sentence."""
    line = (help_text or "").strip().splitlines()[0] if (help_text or "").strip() else ""
    head, dot, _ = line.partition("。")
    return head + dot


def suggest(typed: list[str], candidates: list[str]) -> str | None:
    """The nearest command form (difflib), comparing as many words as the candidate has."""
    best, best_ratio = None, 0.0
    for candidate in candidates:
        size = len(candidate.split())
        attempt = " ".join(typed[:size]).replace("_", "-")
        ratio = difflib.SequenceMatcher(None, attempt, candidate).ratio()
        if ratio > best_ratio:
            best, best_ratio = candidate, ratio
    return best if best_ratio >= 0.6 else None


def width(text: str) -> int:
    """Columns on a terminal: Japanese (wide) characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, columns: int) -> str:
    return text + " " * max(1, columns - width(text))


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as package_version

    try:
        return package_version("kyosai")
    except PackageNotFoundError:
        return "不明"


# --- Django side -----------------------------------------------------------------------------

def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyosai.settings")
    import django

    django.setup()


def _command(name: str) -> "BaseCommand":
    from django.core.management import get_commands, load_command_class

    app = get_commands()[name]
    return app if not isinstance(app, str) else load_command_class(app, name)


def kyosai_command_names() -> set[str]:
    """The management commands of the installed kyosai apps (Django's own are left out)."""
    from django.core.management import get_commands

    return {name for name, app in get_commands().items()
            if isinstance(app, str) and (app == "kyosai" or app.startswith("kyosai."))}


def typed_words(name: str) -> str:
    """How a kyosai command is typed (`members_unenrolled` → `members unenrolled`)."""
    return command_words(kyosai_command_names() | {name})[name]


def kyosai_entries() -> dict[str, Entry]:
    """kyosai's own commands: those of the installed kyosai apps, read from their classes."""
    names = kyosai_command_names()
    words = command_words(names)
    entries = {}
    for name in sorted(names):
        command = _command(name)
        entries[name] = Entry(
            name=name, words=words[name],
            group=getattr(command, "kyosai_group", "") or DEFAULT_GROUP,
            summary=summary_of(str(command.help)),
            examples=tuple(getattr(command, "kyosai_examples", ())),
        )
    return entries


def _parser(entry: Entry) -> "CommandParser":
    """The command's parser as `kyosai WORDS`, without Django's common options."""
    parser = _command(entry.name).create_parser("kyosai", entry.words)
    for action in parser._actions:
        if DJANGO_OPTIONS & set(action.option_strings):
            action.help = argparse.SUPPRESS
    return parser


def main_help(entries: dict[str, Entry]) -> str:
    by_group: dict[str, list[Entry]] = {}
    for entry in entries.values():
        by_group.setdefault(entry.group, []).append(entry)
    order = [g for g in GROUPS if g in by_group] + sorted(g for g in by_group if g not in GROUPS)
    columns = max((width(e.words) for e in entries.values()), default=14) + 2
    lines = [
        f"kyosai {version()} — 共済推進管理システム",
        "",
        "使い方: kyosai コマンド [引数…]",
        "  kyosai help コマンド（または kyosai コマンド --help）で引数と例を表示します。",
    ]
    for group in order:
        lines += ["", f"{group}:"]
        for entry in sorted(by_group[group], key=lambda e: e.words):
            lines.append(f"  {pad(entry.words, columns)}{entry.summary}")
    lines += [
        "",
        "その他:",
        f"  {pad('help コマンド', columns)}コマンドの使い方と例を表示します。",
        f"  {pad('django コマンド', columns)}Django の管理コマンドを実行します（一覧: kyosai django help）。",
        f"  {pad('--version', columns)}バージョンを表示します。",
    ]
    return "\n".join(lines) + "\n"


def command_help(entry: Entry) -> str:
    text = _parser(entry).format_help().rstrip("\n") + "\n"
    if entry.examples:
        text += "\n例:\n" + "".join(f"  {example}\n" for example in entry.examples)
    return text + "\nDjango 共通のオプション（--verbosity、--traceback など）も使えます。\n"


def group_help(head: str, members: list[Entry]) -> str:
    lines = [f"kyosai {head} — サブコマンド", ""]
    for entry in sorted(members, key=lambda e: e.words):
        usage = " ".join(_parser(entry).format_usage().split())
        lines.append(f"{entry.words}: {entry.summary}")
        lines.append(f"  {usage}")
        lines += [f"  例: {example}" for example in entry.examples]
        lines.append("")
    lines.append(f"各サブコマンドの引数: kyosai help {head} サブコマンド")
    return "\n".join(lines) + "\n"


def _groups(entries: dict[str, Entry]) -> dict[str, list[Entry]]:
    groups: dict[str, list[Entry]] = {}
    for entry in entries.values():
        if " " in entry.words:
            groups.setdefault(entry.words.split()[0], []).append(entry)
    return groups


def _unknown(typed: list[str], entries: dict[str, Entry]) -> int:
    groups = _groups(entries)
    if typed[0] in groups:  # a known first word: the second is the mistake
        candidates = [entry.words for entry in groups[typed[0]]]
    else:
        candidates = [e.words for e in entries.values()] + list(groups) + ["help", "django"]
    nearest = suggest(typed, candidates)
    message = f"kyosai: 「{' '.join(typed[:2])}」というコマンドはありません。"
    if nearest:
        message += f"もしかして: kyosai {nearest}"
    else:
        message += "一覧は kyosai --help で表示します。"
    sys.stderr.write(message + "\n")
    return EXIT_CONFIG


def _prepare_home() -> None:
    """KYOSAI_HOME as a usable directory before a command runs (its checks open the cache there)."""
    from django.conf import settings

    from kyosai.core.home import ensure_home

    ensure_home(settings.KYOSAI_HOME)


def run(argv: list[str]) -> int:
    if argv and argv[0] in ("--version", "-V", "version"):
        sys.stdout.write(f"kyosai {version()}\n")
        return 0
    _setup()
    if argv and argv[0] == "django":
        from django.core.management import ManagementUtility

        if len(argv) > 1 and argv[1] not in ("help", *HELP_FLAGS):
            _prepare_home()
        ManagementUtility(["kyosai django", *argv[1:]]).execute()
        return 0
    entries = kyosai_entries()
    if not argv or argv[0] in HELP_FLAGS or (argv[0] == "help" and len(argv) == 1):
        sys.stdout.write(main_help(entries))
        return 0
    asking = argv[0] == "help"
    words = argv[1:] if asking else argv
    groups = _groups(entries)
    name, used = resolve(words, set(entries))
    if name is not None:
        rest = words[used:]
        entry = entries[name]
        options = rest[: rest.index("--")] if "--" in rest else rest
        if asking or any(arg in HELP_FLAGS for arg in options):
            sys.stdout.write(command_help(entry))
            return 0
        _prepare_home()
        _command(name).run_from_argv(["kyosai", entry.words, *rest])
        return 0
    head = words[0]
    if head in groups and (len(words) == 1 or asking or words[1] in HELP_FLAGS):
        sys.stdout.write(group_help(head, groups[head]))
        return 0
    from django.core.management import get_commands

    django_name, used = resolve(words, set(get_commands()))
    if django_name is not None:  # Django's own, unlisted: kyosai migrate, check…
        from django.core.management import ManagementUtility

        if asking:
            ManagementUtility(["kyosai django", "help", django_name]).execute()
            return 0
        _prepare_home()
        ManagementUtility(["kyosai", django_name, *words[used:]]).execute()
        return 0
    return _unknown(words, entries)


# --- configuration problems as one line --------------------------------------------------------

def _database_target() -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"SQLite {db['NAME']}"
    vendor = db["ENGINE"].rsplit(".", 1)[-1]
    return f"{vendor} {db.get('HOST') or 'localhost'}:{db.get('PORT') or '既定のポート'}/{db.get('NAME')}"


def configuration_problem(exc: BaseException) -> str | None:
    """One Japanese line for a configuration problem, None for anything else (a bug)."""
    from django.core.exceptions import ImproperlyConfigured
    from django.db import utils
    from django.db.migrations.exceptions import MigrationSchemaMissing

    if isinstance(exc, ImproperlyConfigured):
        first_lines = str(exc).strip().splitlines()
        return f"設定エラー: {first_lines[0] if first_lines else type(exc).__name__}"
    text = str(exc).strip()
    reason = text.splitlines()[0] if text else type(exc).__name__
    if isinstance(exc, utils.OperationalError | utils.ProgrammingError):
        lowered = text.lower()
        if "no such table" in lowered or "no such column" in lowered or "does not exist" in lowered:
            return ("データベースが初期化されていないか古い版です（テーブルまたは列がありません）。"
                    "kyosai init を実行してください。")
        if isinstance(exc, utils.ProgrammingError):
            return None
    if isinstance(exc, utils.OperationalError | utils.InterfaceError | MigrationSchemaMissing):
        return (f"データベースに接続できません（{_database_target()}: {reason}）。"
                "DATABASE_URL を確認し、データベースが起動しているか確かめてください。")
    if isinstance(exc, OSError) and exc.filename:
        from django.conf import settings

        home = str(settings.KYOSAI_HOME)
        if str(exc.filename).startswith(home):
            return (f"KYOSAI_HOME（{home}）の {exc.filename} を使えません（{exc.strerror}）。"
                    "権限を確認するか、書き込める場所を KYOSAI_HOME に指定してください。")
    return None


def _show_traceback() -> bool:
    env = os.getenv("KYOSAI_ENV", "production").strip().lower()
    return env == "development" and os.getenv("KYOSAI_DEBUG", "").strip().lower() in (
        "1", "true", "yes", "on")


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    try:
        code = run(args)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        message = configuration_problem(exc)
        if message is None or _show_traceback():
            raise
        sys.stderr.write(f"kyosai: {message}\n")
        sys.exit(EXIT_CONFIG)
    sys.exit(code)
