from decimal import Decimal

from kyosai.domain.ranking import growers_sentence, ranked, top_growers


def test_equal_figures_share_a_rank_and_missing_figures_are_not_ranked():
    rows = [("a", 5), ("b", 9), ("c", None), ("d", 5), ("e", 1)]
    result = [(rank, label) for rank, (label, _) in ranked(rows, key=lambda r: r[1])]
    assert result == [(1, "b"), (2, "a"), (2, "d"), (4, "e")]


def test_top_growers_are_only_rows_that_grew_largest_first():
    rows = [("a", -3), ("b", 10), ("c", 0), ("d", 4), ("e", Decimal("2.5"))]
    assert [r[0] for r in top_growers(rows, lambda r: r[1], limit=5)] == ["b", "d", "e"]
    assert [r[0] for r in top_growers(rows, lambda r: r[1], limit=2)] == ["b", "d"]


def test_the_growers_sentence_names_each_with_its_signed_change():
    text = growers_sentence([("東京", 1234), ("大阪", 56)], "件")
    assert text == "前年同期から最も増加した2県支部は、東京（+1,234件）、大阪（+56件）です。"
    assert "ありません" in growers_sentence([], "件")
