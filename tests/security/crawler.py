"""A small black-box crawler for the security tests, on Django's test client.

It follows the links a persona is shown (href and hx-get, GET forms, redirects; same host, GET
only), opens every file it is given (xlsx cells, PDF text and metadata, zip members, JSON) and
hands each text to a scanner. Every URL it sees, followed or not (form actions and hx-post
targets too), is resolved against the URLconf and its captured ids are harvested, so the ids
one persona is shown can be tried by all the others on every route of the URLconf.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import islice, product
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from django.urls import Resolver404, URLResolver, get_resolver, resolve, reverse

from tests.factories import PASSWORD

OUR_APPS = (
    "maatwerq.",
    "home.",
    "participants.",
    "leerroutes.",
    "employers.",
    "reporting.",
    "portal.",
)
# Never followed: leaving the session, switching language, files of the app, Django's admin.
SKIP_PREFIXES = ("/static/", "/admin/", "/i18n/", "/accounts/logout/", "/media/")
MAX_PAGES = 400  # per persona
MAX_QUERY_VARIANTS = 4  # per path: sort orders, pages and filters add little after a few
MAX_COMBINATIONS = 60  # per route, when its ids are tried as another persona

# Followed like a click; the others (form actions, hx-post, data-*) are only harvested.
FOLLOWED_ATTRIBUTES = {"href", "hx-get"}
HARVESTED_ATTRIBUTES = {"action", "formaction", "hx-post", "hx-put", "hx-patch", "hx-delete"}
CONVERTER = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")

Scanner = Callable[[str], Iterable[tuple[str, str]]]


# --- the URLconf -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One URL pattern of our apps: its name, full route and (parameter, converter) pairs."""

    name: str
    route: str
    params: tuple[tuple[str, str], ...]

    @property
    def namespace(self) -> str:
        return self.name.rpartition(":")[0]


def _walk(resolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, route, inner)
        else:
            yield namespace + (entry.name or ""), route, entry


def converters_of(route: str) -> tuple[tuple[str, str], ...]:
    return tuple((m["name"], m["conv"] or "str") for m in CONVERTER.finditer(route))


def our_routes() -> list[Route]:
    """Every URL pattern whose view is ours (not allauth's, Django's admin or i18n)."""
    return [
        Route(name, route, converters_of(route))
        for name, route, entry in _walk(get_resolver())
        if getattr(entry.callback, "__module__", "").startswith(OUR_APPS)
        # The admin's views come from our ModelAdmins' methods (maatwerq.audit.admin's
        # audited reads), but they are Django's admin: tests/test_url_access.py covers them.
        and not name.startswith("admin:")
    ]


# --- what a response holds ---------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    kind: str  # html, json, text, header, xlsx, pdf, zip-name, zip/pdf, ...
    text: str


def body_of(response) -> bytes:
    # Reading a streamed response to its end closes it (and its file): the test client wraps
    # it so. Closing it again here would close the database connection.
    return b"".join(response.streaming_content) if response.streaming else response.content


def documents_of(response) -> list[Document]:
    """Every text a response gives its reader: the file name in Content-Disposition and the
    decoded body (a workbook's cells, a PDF's text, each member of a zip)."""
    body = body_of(response)
    docs = []
    if response.get("Content-Disposition"):
        docs.append(Document("header", response["Content-Disposition"]))
    return docs + decode(body, response.get("Content-Type", ""))


def decode(data: bytes, content_type: str = "") -> list[Document]:
    if data.startswith(b"%PDF"):
        return [Document("pdf", pdf_text(data))]
    if data.startswith(b"PK") and zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "xl/workbook.xml" in names:
                return [Document("xlsx", xlsx_text(data))]
            docs = []
            for name in names:
                docs.append(Document("zip-name", name))
                docs += [Document(f"zip/{d.kind}", d.text) for d in decode(archive.read(name))]
            return docs
    kind = "html" if "html" in content_type else "json" if "json" in content_type else "text"
    return [Document(kind, data.decode("utf-8", errors="replace"))]


def xlsx_text(data: bytes) -> str:
    """Every cell value of every sheet, the sheet titles and the document properties."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        props = workbook.properties
        parts = [str(getattr(props, f, "") or "") for f in ("title", "subject", "creator")]
        for sheet in workbook.worksheets:
            parts.append(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                parts.extend(str(value) for value in row if value is not None)
    finally:
        workbook.close()
    return "\n".join(parts)


def pdf_text(data: bytes) -> str:
    """The PDF's text (poppler's pdftotext) and its metadata (pdfinfo): a missing tool fails
    the test, never a skip. A file poppler cannot read (the certificate evidence fixture) is
    searched as raw bytes instead."""
    texts = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "download.pdf"
        path.write_bytes(data)
        for tool, args in (("pdftotext", ["-enc", "UTF-8", path, "-"]), ("pdfinfo", [path])):
            found = shutil.which(tool)
            assert found, f"{tool} (poppler-utils) is needed to read downloaded PDFs"
            done = subprocess.run(  # noqa: S603 - a fixed tool on our own file
                [found, *map(str, args)], capture_output=True, check=False
            )
            if done.returncode != 0:
                return data.decode("latin-1")
            texts.append(done.stdout.decode("utf-8", errors="replace"))
    return "\n".join(texts)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        method = (dict(attrs).get("method") or "get").lower()
        for attr, value in attrs:
            if not value:
                continue
            if attr in FOLLOWED_ATTRIBUTES and tag not in {"link", "script", "img"}:
                self.found.append((value, True))
            elif attr == "action" and tag == "form":
                self.found.append((value, method == "get"))
            elif attr in HARVESTED_ATTRIBUTES or (attr.startswith("data-") and value[:1] == "/"):
                self.found.append((value, False))


def internal(base: str, value: str) -> str | None:
    """The path (and query) of a link within the site, or None (other host, static, ...)."""
    value = value.strip()
    if not value or value.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(urljoin("http://testserver" + base, value))
    if parts.scheme not in {"http", "https"} or parts.netloc != "testserver":
        return None
    if parts.path.startswith(SKIP_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


# --- harvesting ids ----------------------------------------------------------------------------


def view_name(url: str) -> str:
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return ""


@dataclass
class Harvest:
    """The real ids seen in URLs of our routes, by (namespace, parameter, converter)."""

    values: dict[tuple[str, str, str], set] = field(default_factory=lambda: defaultdict(set))
    # view name -> the argument sets seen for it, as (param, value) tuples
    seen: dict[str, set[tuple]] = field(default_factory=lambda: defaultdict(set))
    # (view name, argument set) -> one URL that carried it
    examples: dict[tuple[str, tuple], str] = field(default_factory=dict)

    def add(self, url: str) -> None:
        try:
            match = resolve(urlsplit(url).path)
        except Resolver404:
            return
        if not getattr(match.func, "__module__", "").startswith(OUR_APPS):
            return
        convs = dict(converters_of(match.route))
        args = tuple(sorted((k, v) for k, v in match.captured_kwargs.items()))
        self.seen[match.view_name].add(args)
        self.examples.setdefault((match.view_name, args), url)
        namespace = match.view_name.rpartition(":")[0]
        for param, value in args:
            self.values[(namespace, param, convs.get(param, "str"))].add(value)

    def candidates(self, route: Route, param: str, conv: str) -> list:
        """Ids for one parameter of a route: those seen under the same name in the same app,
        else under the same name anywhere, else every id of the converter's type."""
        for wanted in (
            lambda ns, p, c: (ns, p, c) == (route.namespace, param, conv),
            lambda ns, p, c: (p, c) == (param, conv),
            lambda ns, p, c: c == conv,
        ):
            found = {v for key, vs in self.values.items() if wanted(*key) for v in vs}
            if found:
                return sorted(found, key=str)
        return []

    def arguments(self, route: Route) -> list[dict]:
        """Up to MAX_COMBINATIONS argument sets for a route, from the candidates."""
        names = [name for name, _conv in route.params]
        choices = [self.candidates(route, name, conv) for name, conv in route.params]
        combinations = islice(product(*choices), MAX_COMBINATIONS)
        return [dict(zip(names, values, strict=True)) for values in combinations]


# --- visiting ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    url: str
    view: str
    status: int
    kinds: frozenset[str]
    # (tag, category, document kind) of every planted marker found
    found: frozenset[tuple[str, str, str]]


def visit(client, url: str, scan: Scanner) -> tuple[Page, list[tuple[str, bool]]]:
    response = client.get(url)
    if response.get("Location", "").startswith(reverse("account_reauthenticate")):
        # A page that asks for the password again (the inspection export): the persona
        # gives it, as a person does, and the crawl reads what follows.
        client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
        response = client.get(url)
    docs = documents_of(response)
    links: list[tuple[str, bool]] = []
    if 300 <= response.status_code < 400 and response.get("Location"):
        links.append((response["Location"], True))
    for doc in docs:
        if doc.kind == "html":
            parser = _Links()
            parser.feed(doc.text)
            links += parser.found
    resolved = [(link, follow) for raw, follow in links if (link := internal(url, raw))]
    found = frozenset((tag, cat, doc.kind) for doc in docs for tag, cat in scan(doc.text))
    kinds = frozenset(doc.kind for doc in docs)
    return Page(url, view_name(url), response.status_code, kinds, found), resolved


def crawl(client, seeds: Iterable[str], scan: Scanner, harvest: Harvest) -> list[Page]:
    """Breadth first from the seeds, at most MAX_PAGES pages and MAX_QUERY_VARIANTS query
    strings per path."""
    queue, seen, variants, pages = deque(seeds), set(), Counter(), []
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        if "?" in url:
            variants[urlsplit(url).path] += 1
            if variants[urlsplit(url).path] > MAX_QUERY_VARIANTS:
                continue
        page, links = visit(client, url, scan)
        pages.append(page)
        for link, follow in links:
            harvest.add(link)
            if follow and link not in seen:
                queue.append(link)
    return pages


def try_harvested_ids(client, routes: list[Route], harvest: Harvest, scan: Scanner, skip):
    """Every route with parameters, with the harvested ids of the right type (GET only)."""
    pages = []
    for route in routes:
        if not route.params:
            continue
        for kwargs in harvest.arguments(route):
            url = reverse(route.name, kwargs=kwargs)
            if url not in skip:
                pages.append(visit(client, url, scan)[0])
    return pages
