"""Where HQ's written paragraphs go in the report: one key per place, and what each place is.

- ``Ⅱ.2.<measure>.<n>``  follows the generated figures of the n-th paragraph of subjects of a
  measure in Ⅱ.2 (the causes: 「これは、…に起因しています。」)
- ``Ⅱ.2.<item>``         further numbered paragraphs of a Ⅱ.2 item (the next steps ③–⑤)
- ``Ⅱ.2.<item>.定義``    the definition box (＜受入共済掛金について＞ and its lines)
- ``Ⅲ.<product>``        the paragraphs of the Ⅲ chapter that starts with that product
- ``資料Ⅰ.<kind>.注``     the notes under a 資料編 Ⅰ register's first table (※ 組織加入県…)

The generated sentences always stay; the written ones follow them.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kyosai.domain.appendix import spec_for
from kyosai.reports.appendix import PRINTED_KINDS

__all__ = [
    "ITEMS", "Slot", "appendix_note_key", "box_key", "item_key", "product_key", "slots",
    "subject_key",
]

#: Ⅱ.2's items: the first measure code of each item and its heading.
ITEMS = (
    ("premiums", "受入共済掛金"),
    ("loading", "予定付加掛金"),
    ("holdings", "保有契約件数・口数"),
    ("new_contracts", "新契約件数"),
)


def subject_key(measure: str, index: int) -> str:
    return f"Ⅱ.2.{measure}.{index}"


def item_key(item: str) -> str:
    return f"Ⅱ.2.{item}"


def box_key(item: str) -> str:
    return f"Ⅱ.2.{item}.定義"


def product_key(product: str) -> str:
    return f"Ⅲ.{product}"


def appendix_note_key(kind: str) -> str:
    return f"資料Ⅰ.{kind}.注"


@dataclass(frozen=True, slots=True)
class Slot:
    key: str
    label: str


def slots(subjects: Mapping[str, Sequence[object]],
          chapters: Sequence[Mapping[str, Any]]) -> list[Slot]:  # (the edition's layout JSON)
    """Every place an edition can hold a narrative, in the report's order."""
    names = {"premiums": "受入共済掛金", "loading": "予定付加掛金", "holdings": "保有件数",
             "units": "保有口数", "new_contracts": "新契約件数"}
    found: list[Slot] = []
    measures_of = {"holdings": ("holdings", "units")}
    for item, title in ITEMS:
        for measure in measures_of.get(item, (item,)):
            for index, _ in enumerate(subjects.get(measure, []), start=1):
                found.append(Slot(subject_key(measure, index),
                                  f"Ⅱ.2 {title}：{names[measure]}の{index}段落目の説明"))
        found.append(Slot(item_key(item), f"Ⅱ.2 {title}：今後にむけて（続く段落）"))
        found.append(Slot(box_key(item), f"Ⅱ.2 {title}：＜…について＞の囲み"))
    for number, chapter in enumerate(chapters, start=1):
        products = chapter.get("products") or []
        if products:
            found.append(Slot(product_key(products[0]), f"Ⅲ {number}．{chapter.get('title', '')}"))
    for kind in PRINTED_KINDS:
        found.append(Slot(appendix_note_key(kind), f"資料編 Ⅰ {spec_for(kind).title}：表の注"))
    return found
