import csv
import io
import itertools
from decimal import Decimal
from xml.etree import ElementTree

from django.test import RequestFactory
from openpyxl import load_workbook

from kyosai.core.tables import Cell, Column, Row, Table, export_response
from kyosai.domain.evaluation import Mark
from kyosai.web.charts import Series, line_chart, nice_ticks

SVG = "{http://www.w3.org/2000/svg}"


def test_nice_ticks_cover_the_data_with_round_steps():
    ticks = nice_ticks(0, 783283)
    assert ticks[0] == 0
    assert ticks[-1] >= 783283
    steps = {b - a for a, b in itertools.pairwise(ticks)}
    assert steps == {Decimal(200000)}


def test_nice_ticks_may_leave_out_zero_for_a_stock():
    ticks = nice_ticks(780000, 795000, include_zero=False)
    assert ticks[0] <= 780000 < ticks[1]
    assert ticks[-1] >= 795000
    assert ticks[0] > 0


def test_a_line_chart_is_valid_svg_with_a_line_per_series_and_gaps_for_missing_months():
    labels = ["6月", "7月", "8月", "9月"]
    svg = line_chart(labels, [
        Series("実績", [10, 20, None, 40]),
        Series("前年同期", [5, 15, 25, 35], dash="6 4"),
    ], title="新契約の推移", unit="件")
    root = ElementTree.fromstring(str(svg))
    assert root.tag == f"{SVG}svg"
    lines = root.findall(f"{SVG}polyline")
    # 実績 has a gap: one segment of 2 points, and a lone point (no line); 前年同期 one line
    assert len(lines) == 2
    assert len(root.findall(f"{SVG}circle")) == 3 + 4
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "9月" in texts
    assert "前年同期" in texts
    assert "https://" not in str(svg).replace("http://www.w3.org/2000/svg", "")


def test_a_chart_without_data_says_so():
    assert "データがありません" in line_chart(["6月"], [Series("実績", [None])], title="推移")


def test_chart_text_is_escaped():
    svg = line_chart(["<b>"], [Series("<script>", [1])], title="a&b")
    assert "<script>" not in svg
    assert "&lt;b&gt;" in svg


def table():
    return Table(
        key="national", title="全国 目標到達状況",
        columns=[Column("制度", numeric=False), Column("実績"), Column("到達率"), Column("評価", False)],
        rows=[Row([Cell("総合共済"), Cell("783,283", 783283), Cell("103.75%", Decimal("103.75")),
                   Cell("△ 一部到達", mark=Mark.PARTIAL)]),
              Row([Cell("自賠責共済"), Cell("△301", -301), Cell("", None), Cell("", None)])],
        filters=[("基準月", "2024年11月"), ("範囲", "全国")],
    )


def test_a_csv_export_states_its_filters_and_carries_plain_numbers():
    response = export_response(table(), "csv", "全国", "hq")
    assert response["Content-Type"].startswith("text/csv")
    assert "filename*=UTF-8''%E5%85%A8%E5%9B%BD.csv" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["表", "全国 目標到達状況"]
    assert ["基準月", "2024年11月"] in rows
    header = rows.index(["制度", "実績", "到達率", "評価"])
    assert rows[header + 1] == ["総合共済", "783283", "103.75", "△"]
    assert rows[header + 2] == ["自賠責共済", "-301", "", ""]


def test_an_xlsx_export_holds_numbers_as_numbers():
    response = export_response(table(), "xlsx", "全国", "hq")
    book = load_workbook(io.BytesIO(response.content))
    values = [list(r) for r in book.active.iter_rows(values_only=True)]
    assert list(values[0][:2]) == ["表", "全国 目標到達状況"]
    header = next(i for i, r in enumerate(values) if r[0] == "制度")
    assert values[header + 1][1] == 783283
    assert values[header + 1][2] == 103.75
    assert values[header + 2][1] == -301
    assert list(values[2][:2]) == ["範囲", "全国"]


def test_export_links_keep_the_query_and_name_the_table():
    request = RequestFactory().get("/scorecard/", {"as_of": "2024-11"})
    links = table().export_links(request)
    assert links["csv"] == "?as_of=2024-11&table=national&export=csv"
    assert links["xlsx"].endswith("export=xlsx")
