"""プレ印字申込書: one A4 page per member, pre-printed with what the roster knows, laid out by
WeasyPrint with the embedded IPAex Gothic (text stays extractable). Each page carries a printed
key (union code + member_no) for reading the returned form back."""

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from django.template.loader import render_to_string

from kyosai.accounts.access import Access
from kyosai.catalog.models import Product
from kyosai.core.fonts import font_path
from kyosai.domain import members as rules
from kyosai.domain.dates import format_japanese_date
from kyosai.domain.formatting import format_date
from kyosai.domain.lifecycle import suggested_plan
from kyosai.members.models import Member
from kyosai.members.selectors import _member_key, active_on, enrolled_ids
from kyosai.org.models import Union

__all__ = ["GUIDANCE_FILE", "FormPage", "form_key", "form_pages", "guidance", "render_pdf"]

GUIDANCE_FILE = Path(__file__).resolve().parents[1] / "catalog" / "data" / "guidance.yaml"


def guidance(path: Path = GUIDANCE_FILE) -> dict[str, list[dict[str, Any]]]:
    """The age-band guidance master data: product code → bands."""
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def form_key(union_code: str, member_no: str) -> str:
    """The printed key for reading a returned form back: union code and member_no."""
    return f"{union_code}-{member_no}"


@dataclass(frozen=True, slots=True)
class FormPage:
    key: str
    union_name: str
    member_no: str
    name: str
    kana: str
    birth_japanese: str
    birth_western: str
    age: int | None
    employment: str
    plan: str


def form_pages(access: Access, union: Union, product: Product, as_of: date, *,
               unenrolled_only: bool = False) -> list[FormPage]:
    """The pages: members of the union active on `as_of` (whose data the viewer may see), in
    member_no order; only those not enrolled in the product with `unenrolled_only`."""
    members = access.restrict_personal_data(
        Member.objects.filter(active_on(as_of), union=union))
    skip = enrolled_ids(product.pk, as_of, members) if unenrolled_only else set()
    bands = guidance().get(product.code, [])
    pages = []
    for pk, member_no, name, kana, birth, employment in members.values_list(
            "pk", "member_no", "name", "kana", "birth_date", "employment"):
        if pk in skip:
            continue
        age = rules.age_on(birth, as_of) if birth else None
        pages.append((_member_key(member_no), FormPage(
            form_key(union.code, member_no), union.name, member_no, name, kana,
            format_japanese_date(birth), format_date(birth), age,
            rules.Employment(employment).label, suggested_plan(bands, age))))
    pages.sort(key=lambda pair: pair[0])
    return [page for _, page in pages]


def render_pdf(pages: list[FormPage], product: Product, as_of: date) -> bytes:
    """The forms as one PDF (A4, one page per member, fonts embedded)."""
    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    html = render_to_string("members/preprinted.html", {
        "pages": pages, "product": product, "as_of": format_date(as_of),
        "font_url": font_path().as_uri()})
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
