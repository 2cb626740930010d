"""Reading a plan file from disk into the domain's PlanDocument, with Japanese messages."""

from pathlib import Path

from kyosai.catalog.selectors import fiscal_years
from kyosai.core.files import FileRefused, load_yaml
from kyosai.domain.plans import HalfYear, PlanDocument, PlanFileError, read_plan_document

__all__ = ["PlanFileProblem", "read_plan_file"]


class PlanFileProblem(ValueError):
    """The file cannot be imported; `lines` names each problem with the file and its place."""

    def __init__(self, summary: str, lines: list[str] | None = None) -> None:
        super().__init__(summary)
        self.summary = summary
        self.lines = lines or []


def read_plan_file(path: Path) -> PlanDocument:
    """The plan in `path` (YAML, UTF-8), or PlanFileProblem naming every problem."""
    if not path.is_file():
        raise PlanFileProblem(f"{path}: ファイルが見つかりません。")
    try:
        data = load_yaml(path)  # the shared guard: size, aliases, depth
    except FileRefused as exc:
        raise PlanFileProblem(f"{path} {exc}。") from None
    calendar = None
    if isinstance(data, dict):
        try:
            calendar = fiscal_years().calendar(
                HalfYear.parse(str(data.get("period", ""))).fiscal_year)
        except ValueError:
            calendar = None
    try:
        return read_plan_document(data, calendar)
    except PlanFileError as exc:
        lines = [problem.describe(str(path)) for problem in exc.problems]
        raise PlanFileProblem(f"{path}: {len(lines)} 件のエラーがあります。", lines) from None
