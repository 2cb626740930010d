"""A problem found in a file a user gave us, located for a Japanese message.

One type for every reader: a table (CSV/xlsx) locates a problem by line and column
(「input.csv 3行目「actual」列: …」); a structured file (YAML: plans, events) by the entry's place
and key (「plan.yaml Ⅳ-1-1-(5)「rating」: …」, 「events.yaml events の 2 件目（key）「dates」: …」).
"""

from dataclasses import dataclass

__all__ = ["CellProblem", "FileProblems"]


@dataclass(frozen=True, slots=True)
class CellProblem:
    """An error (blocks the file) or a warning (shown only): line 1 is the header row.

    `place` and `key` locate a problem in a structured file instead: the entry (Ⅳ-1-1-(5)) and
    the key within it (rating).
    """

    line: int | None
    column: str | None
    message: str
    place: str = ""
    key: str = ""

    @classmethod
    def at(cls, place: str, key: str, message: str) -> "CellProblem":
        """A problem of a structured file's entry `place`, in its `key` (either may be empty)."""
        return cls(None, None, message, place=place, key=key)

    def describe(self, filename: str = "") -> str:
        """「input.csv 3行目「actual」列: 数値ではありません」 / 「plan.yaml Ⅳ-1「title」: …」."""
        where = filename
        if self.place:
            where += f" {self.place}"
        if self.line is not None:
            where += f" {self.line}行目"
        if self.column:
            where += f"「{self.column}」列"
        if self.key:
            where += f"「{self.key}」"
        where = where.strip()
        return f"{where}: {self.message}" if where else self.message


class FileProblems(ValueError):
    """The file cannot be used; `errors` lists every problem found, not only the first."""

    def __init__(self, errors: list[CellProblem]) -> None:
        super().__init__(f"{len(errors)} 件のエラー")
        self.errors = errors
