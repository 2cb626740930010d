"""Demo data for the report's Ⅰ: the 2024H1 overview, as transcribed in data/overview-2024H1.yaml.

The file holds the report's topics in order, each with its numbered paragraphs, the two lists
主な成果 / 今後の取り組み・課題 and its footnotes. Loading goes through `replace_overview`, the same
save service as the edit form, so every change has its audit entry and a second load changes nothing.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kyosai.core.files import FileRefused, load_yaml
from kyosai.core.models import AuditEntry
from kyosai.domain.periods import HalfYear, InvalidPeriod
from kyosai.reports.services import OverviewChanges, TopicText, replace_overview

__all__ = [
    "DEFAULT_DATA",
    "InvalidOverviewFile",
    "OverviewFile",
    "OverviewFileTopic",
    "load_demo",
    "load_overview",
    "read_overview_file",
]

DEFAULT_DATA = Path(__file__).resolve().parent / "data" / "overview-2024H1.yaml"


class InvalidOverviewFile(ValueError):
    """The file cannot be loaded; `errors` name the file, the topic and the field."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class OverviewFileTopic:
    heading: str
    paragraphs: tuple[tuple[int, str], ...]  # (the report's number, text)
    achievements: tuple[str, ...]
    challenges: tuple[str, ...]
    notes: tuple[str, ...] = ()

    def as_text(self) -> TopicText:
        """The form's shape: paragraphs split by a blank line, one item or note a line."""
        return TopicText(
            heading=self.heading,
            body="\n\n".join(text for _, text in self.paragraphs),
            achievements="\n".join(self.achievements),
            challenges="\n".join(self.challenges),
            notes="\n".join(self.notes),
        )


@dataclass(frozen=True, slots=True)
class OverviewFile:
    period: HalfYear
    topics: tuple[OverviewFileTopic, ...]

    def paragraph_count(self) -> int:
        return sum(len(topic.paragraphs) for topic in self.topics)


def _one_line(value: Any, where: str, errors: list[str]) -> str:
    if not isinstance(value, str) or not value.strip():
        errors.append(f"{where}: 文字列を書いてください")
        return ""
    if "\n" in value.strip():
        errors.append(f"{where}: 改行を含めないでください（1項目は1行です）")
    return value.strip()


def _lines(value: Any, where: str, errors: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        errors.append(f"{where}: 項目の一覧（- …）を書いてください")
        return ()
    return tuple(_one_line(item, f"{where} {index}番目", errors)
                 for index, item in enumerate(value, start=1))


def _topic(entry: Any, index: int, next_number: int,
           errors: list[str]) -> tuple[OverviewFileTopic, int]:
    where = f"topics {index}番目"
    if not isinstance(entry, dict):
        errors.append(f"{where}: heading, paragraphs, achievements, challenges を持つ項目にしてください")
        return OverviewFileTopic("", (), (), ()), next_number
    heading = _one_line(entry.get("heading"), f"{where} heading", errors)
    where = f"【{heading}】" if heading else where
    unknown = sorted(set(entry) - {"heading", "paragraphs", "achievements", "challenges", "notes"})
    if unknown:
        errors.append(f"{where}: 不明な項目があります: {', '.join(map(str, unknown))}")
    paragraphs: list[tuple[int, str]] = []
    raw = entry.get("paragraphs")
    if not isinstance(raw, list) or not raw:
        errors.append(f"{where} paragraphs: 段落（- number: …, text: …）を1つ以上書いてください")
        raw = []
    for paragraph in raw:
        number = paragraph.get("number") if isinstance(paragraph, dict) else None
        if not isinstance(number, int) or isinstance(number, bool) or number != next_number:
            errors.append(f"{where} paragraphs: 段落番号は通し番号で {next_number} のはずですが "
                          f"{number!r} です")
        text = _one_line(paragraph.get("text") if isinstance(paragraph, dict) else None,
                         f"{where} 段落{next_number} text", errors)
        paragraphs.append((next_number, text))
        next_number += 1
    topic = OverviewFileTopic(
        heading=heading,
        paragraphs=tuple(paragraphs),
        achievements=_lines(entry.get("achievements"), f"{where} achievements", errors),
        challenges=_lines(entry.get("challenges"), f"{where} challenges", errors),
        notes=_lines(entry.get("notes"), f"{where} notes", errors),
    )
    return topic, next_number


def read_overview_file(path: Path = DEFAULT_DATA) -> OverviewFile:
    """Read and check a transcription of Ⅰ; InvalidOverviewFile names the file and the place."""
    try:
        document = load_yaml(Path(path))  # the shared guard of every imported file
    except FileRefused as error:
        raise InvalidOverviewFile([f"{path} {error}"]) from None
    if not isinstance(document, dict):
        raise InvalidOverviewFile([f"{path}: period と topics を持つ YAML にしてください"])
    errors: list[str] = []
    try:
        period = HalfYear.parse(str(document.get("period", "")))
    except InvalidPeriod as error:
        errors.append(f"period: {error}")
        period = HalfYear(2000, 1)
    entries = document.get("topics")
    if not isinstance(entries, list) or not entries:
        errors.append("topics: 項目（- heading: …）を1つ以上書いてください")
        entries = []
    topics = []
    next_number = 1
    for index, entry in enumerate(entries, start=1):
        topic, next_number = _topic(entry, index, next_number, errors)
        topics.append(topic)
    if errors:
        raise InvalidOverviewFile([f"{path}: {message}" for message in errors])
    return OverviewFile(period, tuple(topics))


def load_overview(data: OverviewFile, *, user: Any = None,
                  source: str = AuditEntry.Source.CLI) -> OverviewChanges:
    """Make the period's Ⅰ in the database exactly the file's (idempotent)."""
    return replace_overview(user=user, period=data.period,
                            topics=[topic.as_text() for topic in data.topics], source=source)


def load_demo() -> str:
    """Load the bundled 2024H1 overview and say what was done, in Japanese."""
    data = read_overview_file(DEFAULT_DATA)
    changes = load_overview(data)
    return (f"概況（{data.period.label()}）: {len(data.topics)} 項目・{data.paragraph_count()} 段落 — "
            f"追加 {changes.created}、更新 {changes.updated}、削除 {changes.deleted}、"
            f"変更なし {changes.unchanged}")
