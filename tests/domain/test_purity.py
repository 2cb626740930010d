"""The domain core imports nothing from Django or the project's apps."""

import ast
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[2] / "kyosai" / "domain"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_domain_core_imports_only_the_standard_library_and_itself():
    files = sorted(DOMAIN.glob("*.py"))
    assert len(files) > 5
    for path in files:
        for name in imported_modules(path):
            top = name.split(".")[0]
            assert top != "django", f"{path.name} imports {name}"
            if top == "kyosai":
                assert name.startswith("kyosai.domain"), f"{path.name} imports {name}"
