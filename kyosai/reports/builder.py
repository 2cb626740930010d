"""Assemble the half-year report, in the report's order, from the sources' rows.

Ⅰ overview (written in the app), Ⅱ the national table and its sentences, Ⅲ one table per product
with the branches that grew most, Ⅳ–Ⅵ the plan in four columns, 資料編 the appendix tables.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

from kyosai.domain import commentary
from kyosai.domain.commentary import MeasureFigures
from kyosai.domain.evaluation import Rating
from kyosai.domain.formatting import (
    chapter_label,
    circled_number,
    format_year_month,
    paren_number,
    plan_table_label,
    policy_label,
)
from kyosai.domain.measures import MEASURES, MeasureKind
from kyosai.domain.periods import YearMonth
from kyosai.domain.plans import ItemNode, SectionNode
from kyosai.domain.reporting import (
    Block,
    CellKind,
    Chart,
    ChartBar,
    Column,
    HalfYear,
    Heading,
    ItemLists,
    Missing,
    Paragraph,
    Report,
    ReportTable,
    Section,
    TableRow,
)
from kyosai.domain.rollup import ScorecardRow
from kyosai.reports.appendix import PRINTED_KINDS
from kyosai.reports.inputs import (
    Chapter,
    EditionText,
    ReportSources,
    SubjectParagraph,
)
from kyosai.reports.narratives import (
    appendix_note_key,
    box_key,
    item_key,
    product_key,
    subject_key,
)

__all__ = ["STEPS", "build_report"]

Progress = Callable[[str], None]

#: The steps `build_report` reports to its progress callback, in order.
STEPS = ("Ⅰ 概況", "Ⅱ 事業目標", "Ⅲ 制度別", "Ⅳ〜Ⅵ 実行計画", "資料編")

#: Ⅱ.2's order: 掛金, 付加, 保有件数・口数, 新契約.
COMMENTARY_ORDER = (("premiums",), ("loading",), ("holdings", "units"), ("new_contracts",))

PLAN_TITLES = (
    ("Ⅳ", "事業推進体制の強化・確立"),
    ("Ⅴ", "共済推進活動の展開"),
    ("Ⅵ", "自治労共済推進本部（共済本部・県支部）の推進力強化"),
)

TOP_BRANCHES = 5


@dataclass(frozen=True, slots=True)
class _Context:
    as_of: YearMonth
    period: HalfYear
    sources: ReportSources
    edition: EditionText


def build_report(as_of: YearMonth, period: HalfYear, sources: ReportSources,
                 progress: Progress | None = None, edition: EditionText | None = None) -> Report:
    """The whole report as data; `progress(step)` is called after each of STEPS.

    `edition` adds what HQ prepared: each Ⅲ product's month, the narratives, the subjects named
    in Ⅱ.2 (default: every product at `as_of`, no narrative, the products that moved most).
    """
    context = _Context(as_of, period, sources, edition or EditionText())
    report = Report(
        title=f"{period.label()}の取り組みと事業目標の到達状況",
        subtitle=f"自治労共済推進本部　{format_year_month(as_of)}現在",
    )
    builders = (_overview, _national, _products, _plan, _appendix)
    for step, builder in zip(STEPS, builders, strict=True):
        report.sections.extend(builder(context))
        if progress:
            progress(step)
    return report


# Ⅰ ----------------------------------------------------------------------------------------------

def _overview(context: _Context) -> list[Section]:
    period = context.period
    later = "下半期以降" if period.half == 1 else "次年度"
    section = Section("Ⅰ", f"{period.label()}の概況と{later}にむけた基本的な課題認識")
    topics = context.sources.overview(period)
    if not topics:
        section.blocks.append(Missing("概況（本文・主な成果・今後の取り組み・課題）"))
        return [section]
    number = 0
    for topic in topics:
        section.blocks.append(Heading(f"【{topic.heading}】", level=3))
        for paragraph in topic.paragraphs:
            number += 1
            section.blocks.append(Paragraph(f"{number}. {paragraph}"))
        if topic.achievements or topic.challenges:
            section.blocks.append(ItemLists(
                "主な成果", _circled(topic.achievements),
                "今後の取り組み・課題", _circled(topic.challenges),
            ))
        section.blocks.extend(Paragraph(note) for note in topic.notes)
    return [section]


def _circled(items: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"{_mark(i)} {item}" for i, item in enumerate(items))


def _mark(index: int) -> str:
    return circled_number(index + 1)


# Ⅱ ----------------------------------------------------------------------------------------------

def _national(context: _Context) -> list[Section]:
    section = Section("Ⅱ", "事業目標達成にむけた取り組み")
    section.blocks.append(Heading("１．各事業の目標到達率・前年同期比"))
    rows = context.sources.national(context.as_of)
    if not rows:
        section.blocks.append(Missing("全国の実績・目標（制度グループ別）"))
        section.blocks.append(Heading("２．各事業目標の概況"))
        section.blocks.append(Missing("各事業目標の概況"))
        return [section]
    section.blocks.append(national_table(rows, context.period))
    section.blocks.append(Heading("２．各事業目標の概況"))
    products = context.sources.products(context.as_of) or []
    for number, codes in enumerate(COMMENTARY_ORDER, start=1):
        section.blocks.extend(_measure_commentary(context, number, codes, rows, products))
    return [section]


def _as_of_caption(rows: list[ScorecardRow]) -> str:
    months = Counter(row.as_of for row in rows)
    main = months.most_common(1)[0][0]
    others = sorted({row.spec.short_name: row.as_of for row in rows if row.as_of != main}.items())
    caption = f"{main.label()}実績"
    if others:
        caption += "（" + "、".join(f"{name}は{month.month}月実績" for name, month in others) + "）"
    return caption


def national_table(rows: list[ScorecardRow], period: HalfYear) -> ReportTable:
    """Ⅱ.1: group, measure, actual, target, 到達率, previous, 増減, 増減率, 評価."""
    year = period.fiscal_year % 100
    columns = (
        Column("共済制度", width=14), Column("指標", width=8),
        Column("実績", CellKind.NUMBER, width=14), Column(f"{year}年度目標", CellKind.NUMBER, width=14),
        Column("到達率", CellKind.PCT, 2, width=10), Column("前年同期", CellKind.NUMBER, width=14),
        Column("増減", CellKind.CHANGE, width=12), Column("増減率", CellKind.PCT, 2, width=10),
        Column("評価", CellKind.MARK, width=6),
    )
    table_rows = []
    previous_label = None
    for row in rows:
        starts = row.label != previous_label
        previous_label = row.label
        table_rows.append(TableRow(
            (row.label if starts else "", row.spec.short_name, row.actual, row.target,
             row.achievement_pct, row.previous, row.change, row.yoy_pct, row.mark_text),
            total=row.is_total, group_start=starts,
        ))
    return ReportTable(
        key="Ⅱ-1 全国", title="各事業の目標到達率・前年同期比", columns=columns,
        rows=tuple(table_rows),
        header_groups=(("", 3), ("事業目標に対する到達率", 2), ("前年同期に対する増減", 3), ("", 1)),
        caption=f"（単位：千円・口・件）{_as_of_caption(rows)}",
        notes=(
            "※ 表中の「件数」は保有件数を、「口数」は保有口数を、「掛金」は受入共済掛金を、「付加」は"
            "予定付加掛金を、「新契約」は新契約件数を、それぞれ意味します。",
            "※ 評価「○」は「目標到達・前年比増」を、評価「△」は「目標未達・前年比増」または「目標到"
            "達・前年比減」を、評価「×」は「目標未達・前年比減」を、それぞれ意味します。",
        ),
    )


def _figures(row: ScorecardRow) -> MeasureFigures | None:
    """The row's figures for a sentence; None for a row without an actual (nothing to say)."""
    if row.actual is None:
        return None
    return MeasureFigures(row.label, row.spec, row.actual, row.change, row.achievement_pct,
                          row.pace_pct, row.target)


def _all_figures(rows: list[ScorecardRow]) -> list[MeasureFigures]:
    return [figures for figures in map(_figures, rows) if figures is not None]


def _measure_commentary(context: _Context, number: int, codes: tuple[str, ...],
                        rows: list[ScorecardRow], products: list[ScorecardRow]) -> list[Block]:
    """One item of Ⅱ.2: per measure its total, then the subjects (or the movers), each followed
    by what HQ wrote about them; then HQ's further paragraphs and the definition box."""
    totals = [r for code in codes for r in rows
              if r.measure == code and r.is_total and r.actual is not None]
    if not totals:
        return []
    edition = context.edition
    first = totals[0]
    title = "・".join(MEASURES[c].name for c in codes) if len(codes) > 1 else first.spec.name
    if len(codes) > 1:
        title = title.replace("保有件数・保有口数", "保有契約件数・口数")
    blocks: list[Block] = [Heading(f"{paren_number(number)}{title}（{format_year_month(first.as_of)}現在）",
                            level=3)]
    paragraphs: list[str] = []
    own_targets: list[str] = []
    for total in totals:
        code = total.measure
        paragraphs.extend(commentary.total_sentence(f) for f in _all_figures([total]))
        subjects = edition.subjects.get(code)
        if subjects:
            paragraphs.extend(_subject_paragraphs(context, total, subjects))
        else:
            movers = _all_figures([r for r in products if r.measure == code and not r.is_total])
            if not movers:  # no product-level figures: name the groups instead
                movers = _all_figures([r for r in rows if r.measure == code and not r.is_total])
            moved = commentary.movers_sentence(movers)
            if moved:
                paragraphs.append(moved)
        if code in edition.own_targets:
            own = _own_target_sentence(context, total)
            if own:
                own_targets.append(own)
    paragraphs.extend(edition.paragraphs(item_key(codes[0])))
    paragraphs.extend(own_targets)
    blocks.extend(Paragraph(f"{_mark(i)} {text}") for i, text in enumerate(paragraphs))
    box = edition.paragraphs(box_key(codes[0]))
    if box:  # one framed block, its lines kept: ＜受入共済掛金について＞ then the definition
        blocks.append(Paragraph("\n".join(box), style="box"))
    for total in totals:
        blocks.append(_achievement_chart(total, [r for r in rows if r.measure == total.measure]))
    return blocks


def _subject_paragraphs(context: _Context, total: ScorecardRow,
                        subjects: tuple[SubjectParagraph, ...]) -> list[str]:
    """Each paragraph of subjects: their figures (change and 到達率), then HQ's text about them."""
    code = total.measure
    wanted = [(subject.code, code) for paragraph in subjects for subject in paragraph.subjects]
    # the report's month: the selector shifts 掛金 by its lag itself
    scores = context.sources.scores(context.as_of, wanted) or []
    found = {row.code: row for row in scores}
    paragraphs: list[str] = []
    for index, paragraph in enumerate(subjects, start=1):
        named: list[MeasureFigures] = []
        for subject in paragraph.subjects:
            row = found.get(subject.code)
            figures = None if row is None else _figures(row)
            if figures is None:
                continue
            if subject.label:
                figures = replace(figures, label=subject.label)
            named.append(figures)
        if paragraph.listing:
            sentences = [commentary.listing_sentence(named)] if named else []
        else:
            sentences = [commentary.product_sentence(figures) for figures in named]
        sentences.extend(context.edition.paragraphs(subject_key(code, index)))
        if sentences:
            paragraphs.append("".join(sentences))
    return paragraphs


def _own_target_sentence(context: _Context, total: ScorecardRow) -> str:
    """The own target (前年度実績の維持) of a measure the edition names: 前年度実績 and the 到達率
    against it, where the data holds such an own target (commentary.own_target_sentence)."""
    own = context.sources.own_target(context.as_of, total)
    return commentary.own_target_sentence(None if own is None else _figures(own))


def _achievement_chart(total: ScorecardRow, rows: list[ScorecardRow]) -> Chart:
    measure = total.spec
    marker = total.pace_pct if measure.kind is MeasureKind.FLOW else None
    bars = tuple(
        ChartBar(r.label, r.achievement_pct, marker if marker is not None else None)
        for r in rows if r.achievement_pct is not None
    )
    label = f"到達目安 {marker}%" if marker is not None else ""
    return Chart(f"{measure.name}の目標到達率（制度グループ別）", bars, marker_label=label)


# Ⅲ ----------------------------------------------------------------------------------------------

def _products(context: _Context) -> list[Section]:
    section = Section("Ⅲ", "各共済制度の目標到達状況")
    edition = context.edition
    listed = context.sources.products(context.as_of)
    if not listed:
        section.blocks.append(Missing("制度別の実績・目標"))
        return [section]
    order = list(dict.fromkeys(row.code for row in listed))
    months = {code: edition.month_for(code, context.as_of) for code in order}
    by_month: dict[YearMonth, list[ScorecardRow]] = {context.as_of: listed}
    for month in sorted(set(months.values()) - {context.as_of}):
        by_month[month] = context.sources.products(month) or []
    by_product: dict[str, list[ScorecardRow]] = {}
    for code in order:
        by_product[code] = [r for r in by_month[months[code]] if r.code == code]
    chapters = edition.chapters or tuple(
        Chapter(by_product[code][0].label, (code,)) for code in order if by_product[code])
    for number, chapter in enumerate(chapters, start=1):
        present = [code for code in chapter.products if by_product.get(code)]
        as_of = max((months[code] for code in present), default=context.as_of)
        section.blocks.append(Heading(
            f"{chapter_label(number)}{chapter.title}（{format_year_month(as_of)}現在）"))
        section.blocks.extend(Paragraph(text) for text in
                              edition.paragraphs(product_key(chapter.products[0])))
        if not present:
            section.blocks.append(Missing(f"{chapter.title}の実績・目標"))
            continue
        def reference(code: str) -> bool:  # 親子共済（参考）: no target, printed by its label
            return all(r.target is None for r in by_product[code])

        numbered = sum(not reference(code) for code in present) > 1
        sub = 0
        for code in present:
            product_rows = by_product[code]
            label = product_rows[0].label
            if reference(code) and len(present) > 1:
                section.blocks.append(Heading(label, level=3))
            elif numbered:
                sub += 1
                section.blocks.append(Heading(paren_number(sub) + label, level=3))
            section.blocks.append(product_table(number, product_rows))
            branches = _top_branches(context, code, product_rows)
            if branches is not None:
                section.blocks.extend(branches)
    return [section]


def product_table(number: int, rows: list[ScorecardRow]) -> ReportTable:
    """Ⅲ: 項目 目標 実績 前年実績 前年同期比 到達率 評価, each figure with its unit as the report
    prints it (754,951件 / △7,899件; rates in %, their change in P)."""
    columns = (
        Column("項目", width=10), Column("目標", CellKind.NUMBER, width=13),
        Column("実績", CellKind.NUMBER, width=13), Column("前年実績", CellKind.NUMBER, width=13),
        Column("前年同期比", CellKind.SIGNED, width=13), Column("到達率", CellKind.PCT, 2, width=10),
        Column("評価", CellKind.MARK, width=6),
    )
    rate = Column("率", CellKind.PCT, 2)
    rate_overrides = ((1, rate), (2, rate), (3, rate),
                      (4, Column("前年同期比", CellKind.POINTS, 2, width=13)))
    table_rows = []
    for row in rows:
        unit = row.unit
        is_rate = row.is_rate
        no_target = row.target is None  # a reference row: 目標・到達率・評価 printed －
        with_unit = tuple((index, replace(columns[index], suffix=unit)) for index in range(1, 5))
        table_rows.append(TableRow((
            row.spec.section3_name, "－" if no_target else row.target, row.actual, row.previous,
            row.change, "－" if no_target else row.achievement_pct,
            row.mark_text or ("－" if no_target else ""),
        ), overrides=rate_overrides if is_rate else with_unit))
    return ReportTable(key=f"Ⅲ-{number} {rows[0].label}", title=rows[0].label, columns=columns,
                       rows=tuple(table_rows))


def _top_branches(context: _Context, code: str,
                  rows: list[ScorecardRow]) -> list[Block] | None:
    row = next((r for r in rows if r.measure == "holdings"), rows[0])
    measure, as_of = row.spec, row.as_of
    branches = context.sources.top_branches(as_of, code, measure.code, TOP_BRANCHES)
    if branches is None:
        return None
    grown = [b for b in branches if b.change is not None and b.change > 0]
    if not grown:
        return [Paragraph(f"前年同期に比べ{measure.name}が増加した県支部はありません。")]
    names = "、".join(b.label for b in grown)
    return [
        Paragraph(f"{names}などの県支部では、前年同期に比べ{measure.name}が伸長しています。"),
        branch_table(rows[0].label, code, grown),
    ]


def branch_table(label: str, code: str, rows: list[ScorecardRow]) -> ReportTable:
    columns = (
        Column("県支部", width=10), Column("実績", CellKind.NUMBER, width=12),
        Column("前年同期", CellKind.NUMBER, width=12), Column("増減", CellKind.SIGNED, width=12),
        Column("増減率", CellKind.PCT, 2, width=10),
    )
    return ReportTable(
        key=f"Ⅲ 伸長県支部 {label}", title=f"{label}：前年同期から伸長した県支部", columns=columns,
        rows=tuple(TableRow((b.label, b.actual, b.previous, b.change, b.yoy_pct)) for b in rows),
    )


# Ⅳ–Ⅵ --------------------------------------------------------------------------------------------

def _plan(context: _Context) -> list[Section]:
    tree = context.sources.plan(context.period)
    if tree is None or not tree.items:
        sections = [Section(number, title) for number, title in PLAN_TITLES]
        for section in sections:
            section.blocks.append(Missing("実行計画・実行状況・評価・今後の取り組み"))
        return sections
    return [_plan_section(part) for part in tree.sections]


def _plan_section(part: SectionNode) -> Section:
    section = Section(part.number, part.title)
    section.blocks.append(Paragraph(
        "【各実行状況の「評価」について】 "
        + "、".join(f"{r.value}：{r.label}" for r in Rating)))
    if any(chapter.items for chapter in part.chapters):
        section.blocks.append(tally_table(part))
    for number, chapter in enumerate(part.chapters, start=1):
        section.blocks.append(Heading(chapter_label(chapter.number) + chapter.title))
        for index, policy in enumerate(chapter.policies, start=1):
            heading = policy_label(policy.number)
            section.blocks.append(Heading(heading, level=3))
            if policy.text:
                section.blocks.append(Paragraph(policy.text))
            if not policy.items:
                section.blocks.append(Missing("実行計画"))
                continue
            table_heading = plan_table_label(policy.number)
            section.blocks.append(Heading(table_heading, level=3))
            section.blocks.append(ReportTable(
                key=f"{part.number}-{number}-{index} 実行計画", title=table_heading,
                columns=(Column("実行計画", width=40), Column("実行状況", width=50),
                         Column("評価", CellKind.MARK, width=6),
                         Column("今後の取り組み", width=40)),
                rows=tuple(TableRow(_plan_columns(item)) for item in policy.items),
            ))
    return section


def _plan_columns(item: ItemNode) -> tuple[str, str, str, str]:
    """実行計画 / 実行状況 / 評価 / 今後の取り組み as the report prints an item."""
    statuses = "\n".join(f"{marker} {status.text}{status.confirmation}"
                         for marker, status in item.numbered_statuses)
    actions = "\n".join(f"{marker} {text}" for marker, text in item.lettered_actions)
    rating = item.rating.value if item.rating else ""
    return (f"{item.label} {item.text}", statuses, rating, actions)


def tally_table(part: SectionNode) -> ReportTable:
    """The ratings counted per chapter holding items (◎ ○ △ × － 計), with the section's total."""
    ratings = list(Rating)
    tallies = [(f"{chapter.code} {chapter.title}", [chapter.tally.count(r) for r in ratings])
               for chapter in part.chapters if chapter.items]
    rows = [TableRow((label, *counts, sum(counts))) for label, counts in tallies]
    totals = [sum(counts[i] for _, counts in tallies) for i in range(len(ratings))]
    rows.append(TableRow(("計", *totals, sum(totals)), total=True))
    return ReportTable(
        key=f"{part.number} 評価集計", title=f"{part.number}．{part.title}：評価の集計",
        columns=(Column("項目", width=40),
                 *(Column(r.value, CellKind.NUMBER, width=6) for r in ratings),
                 Column("計", CellKind.NUMBER, width=6)),
        rows=tuple(rows),
    )


# 資料編 ------------------------------------------------------------------------------------------

def _appendix(context: _Context) -> list[Section]:
    section = Section("", "＜資料編＞")
    edition = context.edition
    titles = edition.appendix_titles
    notes = {kind: edition.paragraphs(appendix_note_key(kind)) for kind in PRINTED_KINDS
             if edition.paragraphs(appendix_note_key(kind))}
    activities = (context.sources.appendix(context.period, titles, notes) if titles or notes
                  else context.sources.appendix(context.period))
    section.blocks.append(Heading("Ⅰ．県本部・県支部による推進活動の実行状況"))
    if activities:
        for block in activities:
            if isinstance(block, ReportTable) and not _headed(section.blocks, block):
                section.blocks.append(Heading(block.title, level=3))
            section.blocks.append(block)
    else:
        section.blocks.append(Missing("県本部・県支部による推進活動の実行状況"))
    events = context.sources.events(context.period)
    if events:  # Ⅱ–Ⅳ: each part, kind and event as the report lists them
        section.blocks.extend(events)
    else:
        section.blocks.append(Heading("Ⅱ〜Ⅳ．本部主催の会議・集会・研修会等の開催状況"))
        section.blocks.append(Missing("本部主催の会議・集会・研修会等"))
    return [section]


def _headed(blocks: list[Block], table: ReportTable) -> bool:
    """Whether the table's title is already printed just above it."""
    return bool(blocks) and isinstance(blocks[-1], Heading) and blocks[-1].text == table.title
