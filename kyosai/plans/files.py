"""Reading a plan file from disk into the domain's PlanDocument, with Japanese messages."""

from pathlib import Path

import yaml

from kyosai.domain.plans import HalfYear, PlanDocument, PlanFileError, read_plan_document
from kyosai.plans.selectors import calendar_for

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
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise PlanFileProblem(f"{path}: UTF-8 で保存された YAML を指定してください。") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" {mark.line + 1}行目 {mark.column + 1}文字目" if mark else ""
        raise PlanFileProblem(f"{path}{where}: YAML として読めません。") from None
    calendar = None
    if isinstance(data, dict):
        try:
            calendar = calendar_for(HalfYear.parse(str(data.get("period", ""))).fiscal_year)
        except ValueError:
            calendar = None
    try:
        return read_plan_document(data, calendar)
    except PlanFileError as exc:
        lines = [problem.describe(str(path)) for problem in exc.problems]
        raise PlanFileProblem(f"{path}: {len(lines)} 件のエラーがあります。", lines) from None
