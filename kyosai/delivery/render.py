"""A page rendered as one user sees it: the page's own view runs with that user as the viewer.

The view does its own access checks (a page the user may no longer see is a 404, never more
rows), so a mailed attachment is exactly what the subscriber would download from the page.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from urllib.parse import unquote

from django.contrib.sessions.backends.base import SessionBase
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.template.response import SimpleTemplateResponse
from django.urls import Resolver404, resolve

__all__ = ["Attachment", "PageNotVisible", "render_attachment", "render_html"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PageNotVisible(LookupError):
    """The user may not see the page (or it does not exist): nothing is sent."""


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


def _request(user: Any, path: str, query: dict[str, str]) -> HttpRequest:
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    params = QueryDict(mutable=True)
    for name, value in query.items():
        params[name] = value
    request.GET = params
    request.META = {"SERVER_NAME": "localhost", "SERVER_PORT": "80", "REMOTE_ADDR": "127.0.0.1",
                    "HTTP_HOST": "localhost", "QUERY_STRING": params.urlencode()}
    request.user = user
    request.session = SessionBase()  # empty; the rendered pages keep nothing in it
    return request


def _call(user: Any, path: str, query: dict[str, str]) -> HttpResponse:
    try:
        match = resolve(path)
    except Resolver404:
        raise PageNotVisible(path) from None
    request = _request(user, path, query)
    request.resolver_match = match
    try:
        response = match.func(request, *match.args, **match.kwargs)
    except Http404:
        raise PageNotVisible(path) from None
    if response.status_code != 200:
        raise PageNotVisible(path)
    return cast(HttpResponse, response)  # the pages are rendered, never streamed


def render_html(user: Any, path: str, as_of: str = "") -> str:
    query = {"as_of": as_of} if as_of else {}
    response = _call(user, path, query)
    if isinstance(response, SimpleTemplateResponse):
        response.render()
    return response.content.decode("utf-8")


def _filename(response: HttpResponse, default: str) -> str:
    disposition = response.get("Content-Disposition", "")
    if "filename*=UTF-8''" in disposition:
        return unquote(disposition.split("filename*=UTF-8''", 1)[1].strip().strip('"'))
    if 'filename="' in disposition:
        return disposition.split('filename="', 1)[1].split('"', 1)[0]
    return default


def render_attachment(user: Any, path: str, fmt: str, *, table: str = "",
                      as_of: str = "") -> Attachment:
    """The page's table as the user's xlsx export, or the whole page as PDF."""
    if fmt == "pdf":
        return Attachment("kyosai-page.pdf", _pdf(render_html(user, path, as_of)),
                          "application/pdf")
    query = {"export": "xlsx"}
    if table:
        query["table"] = table
    if as_of:
        query["as_of"] = as_of
    response = _call(user, path, query)
    if not response.get("Content-Disposition", "").startswith("attachment"):
        raise PageNotVisible(f"{path}: Excel に出力できないページです")
    return Attachment(_filename(response, "kyosai-export.xlsx"), response.content, XLSX)


_STYLESHEET = re.compile(r"""<link rel="stylesheet" href="/?static/(?P<path>[^"]+)">""")
_CSS_URL = re.compile(r"""url\(["']?\.\./(?P<path>[^"')]+)["']?\)""")


def _local_static(html: str) -> str:
    """The page's stylesheets inlined, their fonts as file:// paths of the apps' static files
    (nothing is fetched from a server)."""
    from django.contrib.staticfiles import finders

    def font(match: re.Match[str]) -> str:
        found = finders.find(match.group("path"))
        return f'url("{Path(found).as_uri()}")' if found else "none"

    def inline(match: re.Match[str]) -> str:
        found = finders.find(match.group("path"))
        if not found:
            return ""
        return "<style>" + _CSS_URL.sub(font, Path(found).read_text(encoding="utf-8")) + "</style>"

    return _STYLESHEET.sub(inline, html)


def _pdf(html: str) -> bytes:
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    pdf: bytes = HTML(string=_local_static(html), base_url=str(Path.cwd())).write_pdf()
    return pdf
