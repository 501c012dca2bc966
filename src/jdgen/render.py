"""Turn a validated directive into DOCX bytes through the project's docxtpl template.

`template_context` is pure: it gives the template every value, derived numbers and dates included,
and the template decides the look. `render_docx` runs docxtpl once for the directive and all its
annexes and returns a byte-for-byte reproducible file.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.parsers import expat

import jinja2
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import nsmap
from docxtpl import DocxTemplate
from lxml import etree

from .errors import JdgenError
from .model import Directive, DirectiveSources, Organisation, Person, Position, Unit
from .number import (
    annex_range,
    long_date_adessive,
    point_numbers,
    short_date,
    task_numbers,
    title_in_sentence,
)
from .output import reproducible_zip
from .wordpackage import DocumentProperties, finish_word_package


@dataclass(frozen=True)
class NumberedTask:
    """A task with its derived ordinal (None when printed without a number)."""

    n: int | None
    text: str
    results: list[str]


@dataclass(frozen=True)
class AnnexView:
    """What the template sees of one annex (lisa)."""

    number: int
    title_in_list: str
    position: Position
    unit: Unit
    tasks: list[NumberedTask]
    path: str


@dataclass(frozen=True)
class RepealView:
    date_text: str
    number: str
    title: str


@dataclass(frozen=True)
class DirectiveView:
    """What the template sees of the directive itself."""

    number_text: str
    date_text: str
    is_draft: bool
    title: str
    legal_basis: str
    signer: Person
    unit: Unit
    annex_range: str
    repeals: list[RepealView]
    extra_points: list[tuple[int, str]]
    in_force: str | None
    extra: dict[str, Any]


class _Template(DocxTemplate):
    """docxtpl's template, with the body rendered as a stream for large directives.

    docxtpl renders the body to one string, rewrites it with regular expressions (newline
    clean-up, brace escapes, tabs and line breaks in values), re-counts table columns, parses
    it into a tree and serialises that again: several copies of a 20 MB text and a 200 MB tree
    for a thousand annexes. Here the Jinja output goes chunk by chunk through an XML
    well-formedness check into UTF-8 bytes (`body`), and `reproducible_zip` puts those bytes
    into word/document.xml where docxtpl left an empty body. Headers, footers and properties
    are still docxtpl's. Its whole-string path is used, as before, when one of its rewrites is
    needed, i.e. when the template or a value

    - uses docxtpl's column-loop, span and merge tags (`{%tc %}`, `colspan`, `cellbg`, `vm`,
      `hm`) or has pictures (`wp:docPr` ids are renumbered);
    - contains a tab, newline, BEL or form feed (docxtpl turns them into tabs, line breaks,
      paragraphs and page breaks) or a `{_{`-style brace escape.

    Measured by `make bench` (README: "Speed").
    """

    body: bytes | None = None

    def build_xml(self, context, jinja_env=None):
        source = self.get_xml()
        if _WHOLE_STRING_ONLY.search(source):
            return super().build_xml(context, jinja_env)
        try:
            self.body = self._stream_body(self.patch_xml(source), context, jinja_env)
        except _NeedsRewrite:
            return super().build_xml(context, jinja_env)
        return _EMPTY_BODY  # docxtpl's own passes run on nothing; the body is spliced in on saving

    def _stream_body(self, source: str, context, jinja_env) -> bytes:
        # The body's start tag without the namespace declarations it carries as a fragment.
        source = "<w:body>" + source[source.index(">") + 1 :]
        # As docxtpl does: a line per paragraph, so a template error can show its paragraph.
        source = _PARAGRAPH_START.sub(r"\n<w:p\1", source)
        self.current_rendering_part = self.docx._part
        out = io.BytesIO()
        check = _WellFormed(self._document_start)
        pending: list[str] = []
        size = 0
        carry = ""
        try:
            for piece in jinja_env.from_string(source).generate(context):
                pending.append(piece)
                size += len(piece)
                if size >= _CHUNK:
                    carry = _emit(out, check, carry + "".join(pending), final=False)
                    pending, size = [], 0
        except jinja2.TemplateError as exc:
            _add_docx_context(exc, source)
            raise
        _emit(out, check, carry + "".join(pending), final=True)
        check.close()
        return out.getvalue()

    @functools.cached_property
    def _document_start(self) -> str:
        """The start tag of the template's `w:document`, with its namespace declarations."""
        root = self.docx._element
        shell = etree.Element(root.tag, attrib=dict(root.attrib), nsmap=root.nsmap)
        etree.SubElement(shell, "placeholder")
        text = etree.tostring(shell, encoding="unicode")
        return text[: text.index("<placeholder")]


class _NeedsRewrite(Exception):
    """The rendered body needs one of docxtpl's whole-string rewrites."""


class _WellFormed:
    """Expat, fed the rendered body inside the document's start tag: a broken template is
    reported before anything is written (unbound namespace prefixes included)."""

    def __init__(self, document_start: str) -> None:
        self._parser = expat.ParserCreate(namespace_separator=" ")
        self._parser.Parse(document_start.encode(), False)

    def feed(self, data: bytes) -> None:
        self._parser.Parse(data, False)

    def close(self) -> None:
        self._parser.Parse(b"</w:document>", True)


def _emit(out: io.BytesIO, check: _WellFormed, text: str, *, final: bool) -> str:
    """Write `text` without docxtpl's line breaks; return the tail kept for the next chunk.

    The last five characters wait, so a `\\n<w:p ` or `{_{` split between chunks is seen whole.
    """
    keep = "" if final else text[-5:]
    text = text[: len(text) - len(keep)].replace("\n<w:p>", "<w:p>").replace("\n<w:p ", "<w:p ")
    if any(mark in text for mark in _REWRITTEN):
        raise _NeedsRewrite
    data = text.encode()
    check.feed(data)
    out.write(data)
    return keep


def _add_docx_context(exc: jinja2.TemplateError, source: str) -> None:
    """The text of the paragraph a template error is in (shown as the hint), like docxtpl's context:
    the body is rendered with one paragraph per line."""
    line = getattr(exc, "lineno", None) or _template_line(exc)
    lines = source.splitlines()
    if line is not None and 0 < line <= len(lines):
        exc.docx_context = [re.sub(r"<[^>]+>", "", lines[line - 1])]


def _template_line(exc: BaseException) -> int | None:
    """The template line a runtime error (a misspelt name) was raised at: Jinja puts its frames
    into the traceback under the file name "<template>"."""
    line, frame = None, exc.__traceback__
    while frame is not None:
        if frame.tb_frame.f_code.co_filename == "<template>":
            line = frame.tb_lineno
        frame = frame.tb_next
    return line


_CHUNK = 1 << 16
_EMPTY_BODY = f'<w:body xmlns:w="{nsmap["w"]}"/>'
_PARAGRAPH_START = re.compile(r"<w:p([ >])")
# What docxtpl rewrites in the rendered text: listing characters and brace escapes.
_REWRITTEN = ("\t", "\n", "\a", "\f", "{_{", "{_%", "}_}", "%_}")
# What only docxtpl's whole-string path handles: column loops, spans and merges, picture ids.
_WHOLE_STRING_ONLY = re.compile(r"\{%-?\s*(tc\s|colspan|cellbg|vm\b|hm\b)|<wp:docPr\b")


def template_context(sources: DirectiveSources) -> dict[str, Any]:
    """All values the template may use: `organisation`, `directive`, `points`, `annexes`."""
    directive: Directive = sources.directive
    organisation: Organisation = sources.organisation
    points = point_numbers(repeals=bool(directive.repeals), extra_points=len(directive.extra_points))
    annexes = [
        AnnexView(
            number=index,
            title_in_list=title_in_sentence(annex.position.title),
            position=annex.position,
            unit=annex.unit,
            tasks=[
                NumberedTask(n, task.task, task.results)
                for n, task in zip(
                    task_numbers(t.numbered for t in annex.position.tasks),
                    annex.position.tasks,
                    strict=True,
                )
            ],
            path=annex.path,
        )
        for index, annex in enumerate(sources.annexes, 1)
    ]
    view = DirectiveView(
        number_text=directive.number or organisation.draft_number,
        date_text=short_date(directive.date) if directive.date else organisation.draft_date,
        is_draft=directive.is_draft,
        title=directive.title,
        legal_basis=directive.legal_basis or organisation.legal_basis,
        signer=directive.signer or organisation.signer,
        unit=sources.unit,
        annex_range=annex_range(len(annexes)),
        repeals=[RepealView(short_date(r.date), r.number, r.title) for r in directive.repeals],
        extra_points=list(zip(points.extra, directive.extra_points, strict=True)),
        in_force=long_date_adessive(directive.in_force) if directive.in_force else None,
        extra=directive.extra,
    )
    return {"organisation": organisation, "directive": view, "points": points, "annexes": annexes}


def render_docx(template: Path, sources: DirectiveSources, *, template_name: str) -> bytes:
    """Render the directive with all its annexes into one DOCX, reproducibly."""
    document = open_template(template, template_name=template_name)
    try:
        document.render(template_context(sources), jinja_env=_jinja_env(), autoescape=True)
    except jinja2.TemplateError as exc:
        lines = " / ".join(line.strip() for line in getattr(exc, "docx_context", []) if line.strip())
        raise JdgenError.at(
            template_name,
            f"template error: {exc.message}",
            hint=f"near: {lines[:160]}"
            if lines
            else "open the template in Word and check the {{ }} and {% %} tags",
        ) from exc
    except (etree.XMLSyntaxError, expat.ExpatError) as exc:
        raise JdgenError.at(
            template_name,
            f"the template gives a broken document ({_xml_problem(exc)})",
            hint="a {% %} tag probably cuts a paragraph or table in two: use {%p %} or {%tr %} for those",
        ) from exc
    except (KeyError, ValueError) as exc:
        raise _not_a_template(template_name, exc) from exc
    finish_word_package(document.docx, _properties(sources))
    buffer = io.BytesIO()
    document.save(buffer)
    return reproducible_zip(buffer.getvalue(), document_body=document.body)


def open_template(template: Path, *, template_name: str) -> _Template:
    """The project's docxtpl template, read; a missing file or one that is not a DOCX is the user's error."""
    if not template.is_file():
        raise JdgenError.at(
            template_name,
            "the template file does not exist",
            hint="set `template:` in organisation.yaml to a .docx in templates/",
        )
    try:
        document = _Template(template)
        document.init_docx()
    except (KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError, PackageNotFoundError) as exc:
        raise _not_a_template(template_name, exc) from exc
    return document


def _not_a_template(template_name: str, exc: Exception) -> JdgenError:
    return JdgenError.at(
        template_name,
        f"not a usable .docx template ({exc})",
        hint="save it from Word or LibreOffice as .docx",
    )


class _MissingValue(jinja2.StrictUndefined):
    """A misspelt name in a template is an error that says which name and suggests the right one."""

    @property
    def _undefined_message(self) -> str:
        name, owner = self._undefined_name, self._undefined_obj
        if owner is jinja2.utils.missing:
            known = ["organisation", "directive", "points", "annexes"]
            where = "the template has no value"
        else:
            known = [n for n in dir(owner) if not n.startswith("_")]
            where = f"{_kind_of(owner)} has no value"
        close = difflib.get_close_matches(str(name), known, n=1)
        return f"{where} {name!r}" + (f" (did you mean {close[0]!r}?)" if close else "")


def _kind_of(value: object) -> str:
    """What a template value is, in the words of the template: `directive`, `a.position`, …"""
    names = {DirectiveView: "directive", AnnexView: "an annex", Organisation: "organisation"}
    names |= {Position: "a position", Unit: "a unit", Person: "a person", NumberedTask: "a task"}
    return names.get(type(value), type(value).__name__)


def _xml_problem(exc: etree.XMLSyntaxError | expat.ExpatError) -> str:
    # Positions in the rendered XML would mean nothing to the template's author.
    if isinstance(exc, expat.ExpatError):
        return expat.ErrorString(exc.code)
    return re.sub(r",? line \d+.*", "", exc.msg)


def _jinja_env() -> jinja2.Environment:
    # StrictUndefined: a misspelt variable in a template is an error, not silently empty text.
    return jinja2.Environment(undefined=_MissingValue, autoescape=True)


def _properties(sources: DirectiveSources) -> DocumentProperties:
    """Document metadata from the sources only: no 'now', no user name of the machine."""
    directive, organisation = sources.directive, sources.organisation
    return DocumentProperties(
        title=directive.title,
        subject=sources.unit.name,
        author=organisation.name,
        company=organisation.name,
        keywords="" if directive.is_draft else f"nr {directive.number}",
        category=organisation.register_series or "",
        language=organisation.language,
        moment=dt.datetime.combine(directive.date or dt.date(2000, 1, 1), dt.time()),
    )
