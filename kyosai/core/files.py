"""The one guard every importer opens a user's file through: size, archive and YAML limits.

A file is refused (FileRefused, a Japanese message) before it is parsed when it is larger than
the limit; an .xlsx archive is checked before openpyxl sees it (number of entries, total
uncompressed size, compression ratio of each large entry), so a zip bomb or a sheet that claims
a million rows costs nothing; a YAML document may not use aliases (the "billion laughs") nor nest
deeper than a plan or an event list ever does. The row and column caps of tables are applied by
the reader, `kyosai.core.tabular`, with the same `FileLimits`.
"""

import io
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from kyosai.domain.problems import CellProblem

__all__ = ["LIMITS", "FileLimits", "FileRefused", "check_size", "check_xlsx_archive",
           "current_limits", "load_yaml", "read_limited", "size_text"]

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class FileLimits:
    """What any imported file may be. A national month of results is ~196,000 rows, ~8 MB of CSV."""

    max_bytes: int = 20 * MB  # a table file as uploaded or given to a command
    max_rows: int = 500_000  # lines of a table, header included
    max_columns: int = 200  # cells of a row that may hold a value
    max_cell_chars: int = 10_000  # characters of one cell
    max_unpacked_bytes: int = 400 * MB  # all entries of an .xlsx archive, uncompressed
    max_ratio: int = 200  # uncompressed / compressed size of any entry over 1 MB
    max_entries: int = 1_000  # entries of an .xlsx archive
    max_yaml_bytes: int = 2 * MB  # a plan or an events file
    max_yaml_depth: int = 40  # nesting of mappings and lists in a YAML document


LIMITS = FileLimits()


def current_limits() -> FileLimits:
    """LIMITS with the file size of the settings (KYOSAI_MAX_UPLOAD_BYTES) when Django runs."""
    from django.conf import settings

    size = getattr(settings, "KYOSAI_MAX_UPLOAD_BYTES", None) if settings.configured else None
    return replace(LIMITS, max_bytes=size) if size else LIMITS


class FileRefused(ValueError):
    """The file cannot be read or breaks a limit; `line` and `column` locate it when known."""

    def __init__(self, message: str, line: int | None = None, column: str | None = None) -> None:
        super().__init__(CellProblem(line, column, message).describe())
        self.message = message
        self.line = line
        self.column = column

    def problem(self) -> CellProblem:
        return CellProblem(self.line, self.column, self.message)


def size_text(count: int) -> str:
    """20MB, 1,000バイト: a size as the messages state it."""
    return f"{count / MB:,.0f}MB" if count >= MB else f"{count:,}バイト"


def check_size(size: int, limit: int) -> None:
    """Refuse `size` bytes when over `limit`."""
    if size > limit:
        raise FileRefused(f"ファイルが大きすぎます（{size_text(size)}。上限は {size_text(limit)} です）")


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of `path`, refused before reading when the file is over `limit`."""
    try:
        check_size(path.stat().st_size, limit)
        with path.open("rb") as handle:
            data = handle.read(limit + 1)  # a file that grew after stat is still capped
    except OSError as exc:
        raise FileRefused(f"ファイルを読み込めません: {exc.strerror or exc}") from None
    check_size(len(data), limit)
    return data


def check_xlsx_archive(raw: bytes, limits: FileLimits = LIMITS) -> None:
    """Refuse an .xlsx (a zip archive) that is not one, or would unpack into too much."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise FileRefused(f"Excel ファイル（.xlsx）として読み込めません: {exc}") from None
    if len(entries) > limits.max_entries:
        raise FileRefused(f"Excel ファイルの構成要素が多すぎます（{len(entries):,} 個。"
                          f"上限は {limits.max_entries:,} 個です）")
    # zipfile stops each entry at its declared size (a mismatch is a CRC error), so the
    # declared sizes bound what openpyxl can be made to inflate.
    total = sum(entry.file_size for entry in entries)
    if total > limits.max_unpacked_bytes:
        raise FileRefused(f"Excel ファイルを展開すると大きすぎます（{size_text(total)}。"
                          f"上限は {size_text(limits.max_unpacked_bytes)} です）")
    for entry in entries:
        if entry.file_size > MB and entry.file_size > limits.max_ratio * max(entry.compress_size, 1):
            raise FileRefused(f"Excel ファイルの圧縮率が異常です（{entry.filename}: "
                              f"{entry.file_size // max(entry.compress_size, 1):,} 倍）")


def _check_yaml_events(text: str, loader: Any, limits: FileLimits) -> None:
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            assert mark is not None  # the parser marks every event
            raise FileRefused(f"{mark.column + 1}文字目: YAML のエイリアス（*名前）は使えません",
                              line=mark.line + 1)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > limits.max_yaml_depth:
                mark = event.start_mark
                assert mark is not None  # the parser marks every event
                raise FileRefused(f"{mark.column + 1}文字目: 入れ子が深すぎます"
                                  f"（{limits.max_yaml_depth} 段まで）", line=mark.line + 1)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def load_yaml(path: Path, *, loader: Any = yaml.SafeLoader, limits: FileLimits = LIMITS) -> Any:
    """The YAML document in `path` (UTF-8, BOM allowed) read safely within the limits.

    Raises FileRefused naming the line for a file too large, not UTF-8, not YAML, with an alias or
    nested too deep; the document is built by `loader` (a SafeLoader subclass) only then.
    """
    data = read_limited(path, limits.max_yaml_bytes)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused("UTF-8 で保存された YAML を指定してください") from None
    try:
        _check_yaml_events(text, loader, limits)
        return yaml.load(text, Loader=loader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if mark is None:
            raise FileRefused("YAML として読めません") from None
        raise FileRefused(f"{mark.column + 1}文字目: YAML として読めません"
                          f"（{getattr(exc, 'problem', '') or exc}）", line=mark.line + 1) from None
    except RecursionError:
        raise FileRefused("YAML の入れ子が深すぎます") from None
