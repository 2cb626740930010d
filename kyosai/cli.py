"""The `kyosai` command: Django's management commands with the project's words.

`kyosai import targets FILE` runs the command `import_targets FILE`, `kyosai plan summary` runs
`plan_summary`, `kyosai demo-data` runs `demo_data`: a first word joined to the second names a
command when such a command exists.
"""

import os
import sys


def command_argv(argv: list[str], known: set[str]) -> list[str]:
    """Map the kyosai words onto a management command name (pure, for tests)."""
    if not argv:
        return ["help"]
    first = argv[0].replace("-", "_")
    if len(argv) > 1:
        joined = f"{first}_{argv[1].replace('-', '_')}"
        if joined in known:
            return [joined, *argv[2:]]
    return [first if first in known else argv[0], *argv[1:]]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyosai.settings")
    import django
    from django.core.management import execute_from_command_line, get_commands

    django.setup()
    args = command_argv(sys.argv[1:], set(get_commands()))
    execute_from_command_line(["kyosai", *args])
