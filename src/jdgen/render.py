"""Turn a validated directive into DOCX bytes through the project's docxtpl template.

`template_context` is pure: it gives the template every value, derived numbers and dates included,
and the template decides the look. `render_docx` runs docxtpl once for the directive and all its
annexes and returns a byte-for-byte reproducible file.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from docx.oxml import parse_xml
from docx.oxml.ns import nsmap, qn
from docxtpl import DocxTemplate
from lxml import etree

from .errors import JdgenError
from .model import Directive, Organisation, Person, Position, Unit
from .number import (
    annex_range,
    long_date_adessive,
    point_numbers,
    short_date,
    task_numbers,
    title_in_sentence,
)
from .project import DirectiveSources

# Every zip entry gets this time stamp, so the same sources give the same bytes (zip's epoch).
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


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
    """docxtpl's template with three passes made linear-time-cheap for large directives.

    The rendering is docxtpl's own; these overrides skip work that the template does not need,
    which matters with hundreds of annexes (measured by `make bench`):

    - `resolve_listing`: docxtpl turns tab, newline, BEL and form feed characters in values into
      tabs, line breaks, paragraphs and page breaks with regular expressions over every paragraph;
      skipped when no such character is in the rendered text.
    - `fix_tables`: docxtpl re-counts the grid columns of every table for its column-loop, span
      and merge tags (`{%tc %}`, `colspan`, `cellbg`, `vm`, `hm`); skipped when the template
      uses none of them.
    - `fix_docpr_ids`: the same renumbering, written for python-docx's element class.
    - `map_tree`: docxtpl moves the rendered body into the template's document element, which
      lxml does node by node; instead the rendered body is parsed inside a copy of the
      document's own start and end tags, and that element becomes the document part's XML.
    """

    def resolve_listing(self, xml: str) -> str:
        if _LISTING_CHARACTERS.search(xml) is None:
            return xml
        return super().resolve_listing(xml)

    def fix_tables(self, xml: str):
        if _COLUMN_TAGS.search(self._template_text):
            return super().fix_tables(xml)
        return parse_xml(xml)  # python-docx's parser: the document element keeps its API

    def fix_docpr_ids(self, tree) -> None:
        # docxtpl's own renumbering of drawing ids, through lxml's xpath: python-docx's
        # elements (from `fix_tables`) take no `namespaces=` argument.
        for element in etree.ElementBase.xpath(tree, "//wp:docPr", namespaces=nsmap):
            self.docx_ids_index += 1
            element.attrib["id"] = str(self.docx_ids_index)

    def map_tree(self, tree) -> None:
        if tree.tag != _DOCUMENT_TAG:
            super().map_tree(tree)
            return
        self.docx._part._element = tree
        self.docx._element = tree

    def build_xml(self, context, jinja_env=None) -> str:
        body = super().build_xml(context, jinja_env)
        if _COLUMN_TAGS.search(self._template_text):
            return body
        start, end = self._document_tags
        return f"{start}{body}{end}"

    @functools.cached_property
    def _template_text(self) -> str:
        # Read before rendering replaces the body: the text of every run, so split tags join up.
        return "".join(self.docx._element.body.itertext())

    @functools.cached_property
    def _document_tags(self) -> tuple[str, str]:
        """The start tag of the template's `w:document` (its namespaces and attributes), and the end tag."""
        root = self.docx._element
        shell = etree.Element(root.tag, attrib=dict(root.attrib), nsmap=root.nsmap)
        etree.SubElement(shell, "placeholder")
        text = etree.tostring(shell, encoding="unicode")
        start = text[: text.index("<placeholder")]
        return start, text[text.index("/>", len(start)) + 2 :]


_DOCUMENT_TAG = qn("w:document")
_LISTING_CHARACTERS = re.compile("[\t\n\a\f]")
# What docxtpl's table pass is for: column loops, spans and merges made by template tags.
_COLUMN_TAGS = re.compile(r"\{%-?\s*(tc\s|colspan|cellbg|vm\b|hm\b)")


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
    if not template.is_file():
        raise JdgenError.at(
            template_name,
            "the template file does not exist",
            hint="set `template:` in organisation.yaml to a .docx in templates/",
        )
    context = template_context(sources)
    try:
        document = _Template(template)
        document.init_docx()
        _ = document._template_text, document._document_tags  # read before rendering replaces them
        document.render(context, jinja_env=_jinja_env(), autoescape=True)
    except jinja2.TemplateError as exc:
        lines = " / ".join(line.strip() for line in getattr(exc, "docx_context", []) if line.strip())
        raise JdgenError.at(
            template_name,
            f"template error: {exc.message}",
            hint=f"near: {lines[:160]}"
            if lines
            else "open the template in Word and check the {{ }} and {% %} tags",
        ) from exc
    except (KeyError, zipfile.BadZipFile, ValueError) as exc:
        raise JdgenError.at(
            template_name,
            f"not a usable .docx template ({exc})",
            hint="save it from Word or LibreOffice as .docx",
        ) from exc
    _set_properties(document, sources)
    buffer = io.BytesIO()
    document.save(buffer)
    return reproducible_zip(buffer.getvalue())


def _jinja_env() -> jinja2.Environment:
    # StrictUndefined: a misspelt variable in a template is an error, not silently empty text.
    return jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)


def _set_properties(document: DocxTemplate, sources: DirectiveSources) -> None:
    """Document metadata from the sources only: no 'now', no user name of the machine."""
    properties = document.docx.core_properties
    directive, organisation = sources.directive, sources.organisation
    properties.title = directive.title
    properties.subject = sources.unit.name
    properties.author = organisation.name
    properties.last_modified_by = organisation.name
    properties.category = organisation.register_series or ""
    properties.keywords = "" if directive.is_draft else f"nr {directive.number}"
    properties.comments = ""
    properties.revision = 1
    properties.language = "et-EE"
    moment = dt.datetime.combine(directive.date or dt.date(2000, 1, 1), dt.time())
    properties.created = moment
    properties.modified = moment
    properties.last_printed = moment


def reproducible_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed time stamps and attributes, keeping the entry order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=_ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, source.read(entry.filename))
    return out.getvalue()


def write_atomic(path: Path, data: bytes) -> None:
    """Write next to `path` and rename, so a reader never sees half a file."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        temporary.write_bytes(data)
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
