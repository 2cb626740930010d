"""The shared file guard (core.files) and the table reader's caps: every importer goes through them."""

import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest
import yaml

from kyosai.core import files
from kyosai.core.files import FileLimits, FileRefused, check_xlsx_archive, load_yaml
from kyosai.core.tabular import TableReadError, iter_records, read_table

HEADER = ["month", "branch", "union", "product", "measure", "value"]
ROW = ["2024-11", "14", "140001", "general", "holdings", "1"]


def xlsx_bytes(rows: Sequence[Sequence[object]], dimension: str | None = None,
               extra: dict[str, bytes] | None = None) -> bytes:
    """A workbook of `rows`; `dimension` replaces the sheet's declared range, `extra` adds entries."""
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if dimension and item.filename == "xl/worksheets/sheet1.xml":
                data, count = re.subn(rb'<dimension ref="[^"]*" ?/>',
                                      f'<dimension ref="{dimension}"/>'.encode(), data)
                assert count == 1
            archive.writestr(item, data)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_sheet_claiming_a1_to_xfd1048576_is_read_as_the_rows_it_holds(tmp_path):
    """The attack of issue 11: read_only openpyxl trusted <dimension> and padded a million rows."""
    raw = xlsx_bytes([HEADER, ROW], dimension="A1:XFD1048576")
    assert len(raw) < 8_000
    header, records = iter_records(Path("attack.xlsx"), raw)
    assert header == HEADER
    assert list(records) == [(2, ROW)]


def test_a_zip_bomb_is_refused_before_parsing():
    raw = xlsx_bytes([HEADER, ROW], extra={"xl/media/pad.bin": b"\0" * (8 * 1024 * 1024)})
    with pytest.raises(TableReadError, match="圧縮率が異常です"):
        iter_records(Path("bomb.xlsx"), raw)


def test_the_archive_is_checked_for_total_size_and_entries():
    raw = xlsx_bytes([HEADER, ROW])
    with pytest.raises(FileRefused, match="展開すると大きすぎます"):
        check_xlsx_archive(raw, FileLimits(max_unpacked_bytes=1_000))
    with pytest.raises(FileRefused, match="構成要素が多すぎます"):
        check_xlsx_archive(raw, FileLimits(max_entries=3))
    check_xlsx_archive(raw)  # an ordinary workbook passes


def test_a_file_that_is_not_a_zip_but_named_xlsx_is_refused_with_a_message():
    with pytest.raises(TableReadError, match="Excel ファイル"):
        iter_records(Path("fake.xlsx"), b"PK\x03\x04 not really a zip")


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"a,b\n" + b"1,2\n" * 300)
    with pytest.raises(TableReadError, match="ファイルが大きすぎます"):
        iter_records(path, limits=FileLimits(max_bytes=1_000))
    assert read_table(path, limits=FileLimits(max_bytes=2_000))[1][0] == {"a": "1", "b": "2"}


def test_rows_are_capped_at_the_limit_with_the_line_named():
    text = "a,b\n" + "1,2\n" * 5
    _, records = iter_records(Path("rows.csv"), text.encode(), FileLimits(max_rows=4))
    with pytest.raises(TableReadError, match="行数が多すぎます") as caught:
        list(records)
    assert caught.value.line == 5
    assert "5行目" in str(caught.value)
    # the last allowed line is still read: exactly max_rows lines pass
    _, records = iter_records(Path("rows.csv"), ("a,b\n" + "1,2\n" * 3).encode(),
                              FileLimits(max_rows=4))
    assert [line for line, _ in records] == [2, 3, 4]


def test_xlsx_rows_are_capped_too():
    raw = xlsx_bytes([["a", "b"], *[[1, 2]] * 5])
    _, records = iter_records(Path("rows.xlsx"), raw, FileLimits(max_rows=3))
    with pytest.raises(TableReadError, match="行数が多すぎます"):
        list(records)


def test_a_value_beyond_the_column_cap_is_refused_but_trailing_empty_cells_are_not():
    limits = FileLimits(max_columns=3)
    with pytest.raises(TableReadError, match="列が多すぎます") as caught:
        iter_records(Path("wide.csv"), b"a,b,c,d\n1,2,3,4\n", limits)
    assert caught.value.line == 1
    _, records = iter_records(Path("ok.csv"), b"a,b\n1,2,,,,\n", limits)
    assert list(records) == [(2, ["1", "2"])]
    _, records = iter_records(Path("wide.csv"), b"a,b\n1,2,,,,x\n", limits)
    with pytest.raises(TableReadError, match="列が多すぎます"):
        list(records)


def test_an_overlong_cell_is_refused_with_its_line():
    _, records = iter_records(Path("long.csv"), ("a\nok\n" + "x" * 50 + "\n").encode(),
                              FileLimits(max_cell_chars=20))
    with pytest.raises(TableReadError, match="長すぎる値") as caught:
        list(records)
    assert caught.value.line == 3


def test_the_settings_size_is_the_limit_of_every_reader(settings):
    settings.KYOSAI_MAX_UPLOAD_BYTES = 100
    with pytest.raises(TableReadError, match="上限は 100バイト"):
        iter_records(Path("x.csv"), b"a\n" + b"1\n" * 100)


# YAML: plans and events


def write(tmp_path: Path, text: str, name: str = "doc.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_yaml_aliases_are_refused_with_their_line(tmp_path):
    laughs = "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"
    with pytest.raises(FileRefused, match="エイリアス") as caught:
        load_yaml(write(tmp_path, laughs))
    assert caught.value.line == 2


def test_yaml_nesting_is_capped(tmp_path):
    deep = "[" * 100 + "]" * 100
    with pytest.raises(FileRefused, match="入れ子が深すぎます"):
        load_yaml(write(tmp_path, deep))
    assert load_yaml(write(tmp_path, "[[[1]]]")) == [[[1]]]


def test_yaml_size_is_capped(tmp_path):
    with pytest.raises(FileRefused, match="ファイルが大きすぎます"):
        load_yaml(write(tmp_path, "a: " + "x" * 2_000), limits=FileLimits(max_yaml_bytes=1_000))


def test_broken_yaml_is_located_and_non_utf8_is_named(tmp_path):
    with pytest.raises(FileRefused, match="YAML として読めません") as caught:
        load_yaml(write(tmp_path, "a: 1\nb: [unclosed\n"))
    assert caught.value.line == 3
    path = tmp_path / "sjis.yaml"
    path.write_bytes("a: 日本語\n".encode("cp932"))
    with pytest.raises(FileRefused, match="UTF-8"):
        load_yaml(path)


def test_a_custom_safe_loader_is_honoured(tmp_path):
    class Texts(yaml.SafeLoader):
        pass

    Texts.yaml_implicit_resolvers = {k: [r for r in v if r[0] != "tag:yaml.org,2002:int"]
                                     for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    assert load_yaml(write(tmp_path, "a: 12"), loader=Texts) == {"a": "12"}
    assert load_yaml(write(tmp_path, "a: 12")) == {"a": 12}


def test_limits_default_to_what_a_national_month_needs():
    """~196,000 rows of results, ~8 MB of CSV: well inside, and the caps are finite."""
    assert files.LIMITS.max_rows > 196_000
    assert files.LIMITS.max_bytes >= 10 * 1024 * 1024


def test_xml_entities_in_a_workbook_are_refused_not_expanded():
    """openpyxl parses through defusedxml (a dependency): a 'billion laughs' sheet is an error."""
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + b"".join(b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
                         for n in range(1, 10))
              + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
              b"</sheetData></worksheet>")
    raw = xlsx_bytes([HEADER, ROW])
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            archive.writestr(item, laughs if item.filename == "xl/worksheets/sheet1.xml" else data)
    with pytest.raises(TableReadError, match="Excel ファイルを読み込めません"):
        iter_records(Path("laughs.xlsx"), out.getvalue())  # the header row is read at once


def test_a_nul_character_is_refused_at_its_line_and_column():
    """PostgreSQL's text columns cannot hold NUL: the reader refuses it where it is."""
    data = (",".join(HEADER) + "\n" + ",".join(ROW) + "\n"
            + ",".join([*ROW[:2], "1400\x0001", *ROW[3:]]) + "\n").encode()
    _header, records = iter_records(Path("r.csv"), data)
    with pytest.raises(TableReadError) as refused:
        list(records)
    assert (refused.value.line, refused.value.column) == (3, "union")
    assert "NUL 文字" in refused.value.message


def test_a_nul_character_in_the_header_is_refused_on_line_1():
    data = (",".join([*HEADER[:-1], "val\x00ue"]) + "\n" + ",".join(ROW) + "\n").encode()
    with pytest.raises(TableReadError) as refused:
        iter_records(Path("r.csv"), data)
    assert refused.value.line == 1
