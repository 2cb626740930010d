"""A problem found in a file a user gave us, located by line and column for a Japanese message."""

from dataclasses import dataclass

__all__ = ["CellProblem", "FileProblems"]


@dataclass(frozen=True, slots=True)
class CellProblem:
    """An error (blocks the file) or a warning (shown only): line 1 is the header row."""

    line: int | None
    column: str | None
    message: str

    def describe(self, filename: str = "") -> str:
        """「input.csv 3行目「actual」列: 数値ではありません」."""
        where = filename
        if self.line is not None:
            where += f" {self.line}行目"
        if self.column:
            where += f"「{self.column}」列"
        where = where.strip()
        return f"{where}: {self.message}" if where else self.message


class FileProblems(ValueError):
    """The file cannot be used; `errors` lists every problem found, not only the first."""

    def __init__(self, errors: list[CellProblem]) -> None:
        super().__init__(f"{len(errors)} 件のエラー")
        self.errors = errors
