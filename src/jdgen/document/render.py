"""Turn a validated directive into DOCX bytes through the project's docxtpl template.

The template gets every value and filter from `view` (`template_context`, `filters`) and decides the
words and the look. `render_docx` runs docxtpl once for the directive and all its annexes (the body
streamed by `render_stream`) and returns a byte-for-byte reproducible file; a template that fails is
said in one line, with the paragraph it failed in.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import io
import re
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.parsers import expat

import jinja2
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
from docx.opc.pkgwriter import _ContentTypesItem
from lxml import etree

from ..errors import JdgenError
from ..format.assembled import DirectiveSources
from ..format.model import Organisation, Person, Position, Unit, Wording
from ..i18n import N_, _
from ..output import reproducible_package
from .layout import not_a_template
from .render_stream import NeedsRewrite, StreamingTemplate, TemplateFailure, template_line
from .sandbox import TemplateSandbox
from .view import CONTEXT_NAMES, AnnexView, DirectiveView, NumberedTask, filters, template_context
from .wordpackage import DocumentProperties, finish_word_package


def render_directive(root: Path, sources: DirectiveSources, *, packed: bool = True) -> bytes:
    """The directive rendered with its organisation's template, a file of the project at `root`."""
    template = sources.organisation.template
    return render_docx(root / template, sources, template_name=template, packed=packed)


def render_docx(
    template: Path, sources: DirectiveSources, *, template_name: str, packed: bool = True
) -> bytes:
    """Render the directive with all its annexes into one DOCX, reproducibly: the body streamed
    into the file as it is rendered, or docxtpl's own way where a value needs its rewriting.
    `packed=False` renders every part as a build does and packs nothing (`check`: b"").
    One rendering at a time in a process: the opened template is shared (the preview checks in
    one thread while it builds in another)."""
    with _RENDERING:
        try:
            return _render(template, sources, template_name=template_name, streaming=True, packed=packed)
        except NeedsRewrite:
            return _render(template, sources, template_name=template_name, streaming=False, packed=packed)


_RENDERING = threading.Lock()


def _render(
    template: Path, sources: DirectiveSources, *, template_name: str, streaming: bool, packed: bool
) -> bytes:
    document = _opened(template, template_name)
    document.streaming = streaming
    try:
        document.render(
            template_context(sources),
            jinja_env=jinja_environment(sources.directive.wording_from(sources.organisation)),
            autoescape=True,
        )
        if not packed:
            for _chunk in document.body or ():  # the body runs (and fails) as in a build
                pass
            return b""
        finish_word_package(document.docx, _properties(sources))
        return reproducible_package(_package_entries(document), document_body=document.body)
    except NeedsRewrite:
        raise
    except (etree.XMLSyntaxError, expat.ExpatError) as exc:
        raise JdgenError.at(
            template_name,
            _("the template gives a broken document ({problem})").format(problem=_xml_problem(exc)),
            hint=_("a {% %} tag probably cuts a paragraph or table in two: use {%p %} or {%tr %} for those"),
        ) from exc
    except Exception as exc:
        error = _template_error(exc, template_name)
        if error is exc:
            raise
        raise error from exc


def _package_entries(document: StreamingTemplate) -> Iterator[tuple[str, bytes]]:
    """The rendered package's entries in the order python-docx saves them (content types, package
    relationships, each part and its relationships), without zipping them twice: python-docx's
    own save compressed every part, and `reproducible_package` unpacked and compressed it again.
    A template that replaces pictures or embedded files goes through docxtpl's own save."""
    if (
        document.pics_to_replace
        or document.crc_to_new_media
        or document.crc_to_new_embedded
        or (document.zipname_to_replace)
    ):
        buffer = io.BytesIO()
        document.save(buffer)
        archive = zipfile.ZipFile(buffer)
        yield from ((entry.filename, archive.read(entry.filename)) for entry in archive.infolist())
        return
    package = document.docx.part.package
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    yield CONTENT_TYPES_URI.membername, _ContentTypesItem.from_parts(parts).blob
    yield PACKAGE_URI.rels_uri.membername, package.rels.xml
    for part in parts:
        yield part.partname.membername, part.blob
        if len(part.rels):
            yield part.partname.rels_uri.membername, part.rels.xml


def _template_error(exc: Exception, template_name: str) -> Exception:
    """What went wrong in the template, for its author: the error and the paragraph it is in.

    An exception that the template's code did not raise is not the template's fault: it is
    returned as it is (a bug of jdgen or docxtpl), or said as "not a usable template" for a file
    that docxtpl cannot read."""
    if isinstance(exc, TemplateFailure):
        error, near = exc.error, [exc.paragraph]
    elif isinstance(exc, jinja2.TemplateError) or template_line(exc) is not None:
        error, near = exc, getattr(exc, "docx_context", [])  # docxtpl's own path, as it reports
    elif isinstance(exc, KeyError | ValueError):
        return not_a_template(template_name, exc)
    else:
        return exc
    if isinstance(error, jinja2.TemplateError):
        message = error.message or str(error)
    else:
        message = f"{type(error).__name__}: {error}"
    lines = " / ".join(line.strip() for line in near if line.strip())
    if lines:
        hint = _("near: {text}").format(text=lines[:160])
    else:
        hint = _("open the template in Word and check the {{ }} and {% %} tags")
    return JdgenError.at(template_name, _("template error: {problem}").format(problem=message), hint=hint)


class _Pristine:
    """What a rendering changes in an opened template, as it was before: the body, and the
    relationships that docxtpl and `finish_word_package` point at new parts (headers, footers,
    properties). Put back, the template renders the next directive as if opened anew (a test
    says so, byte for byte); the rest that a rendering touches (settings, styles) it sets to the
    same values each time."""

    def __init__(self, document: StreamingTemplate) -> None:
        self.document = document
        self.body = copy.deepcopy(document.docx.element.body)
        self.relationships = [
            (rels, dict(rels), dict(rels._target_parts_by_rId), [(rel, rel._target) for rel in rels.values()])
            for rels in (document.docx.part.package.rels, document.docx.part.rels)
        ]

    def restored(self) -> StreamingTemplate:
        root = self.document.docx.element
        root.replace(root.body, copy.deepcopy(self.body))
        for rels, relationships, targets, pointed in self.relationships:
            rels.clear()
            rels.update(relationships)
            rels._target_parts_by_rId.clear()
            rels._target_parts_by_rId.update(targets)
            for rel, target in pointed:
                rel._target = target
        document = self.document
        document.is_rendered, document.is_saved, document.body = False, False, None
        return document


_OPENED: dict[tuple[str, int, int], _Pristine] = {}  # the template last opened, by file and version


def _opened(template: Path, template_name: str) -> StreamingTemplate:
    """The template opened once per process (python-docx parsing it was a fifth of a build of many
    directives), put back as it was for each rendering; a changed file is opened anew."""
    try:
        stat = template.stat()
    except OSError:
        return open_template(template, template_name=template_name)
    key = (str(template.resolve()), stat.st_mtime_ns, stat.st_size)
    if key not in _OPENED:
        _OPENED.clear()
        _OPENED[key] = _Pristine(open_template(template, template_name=template_name))
    return _OPENED[key].restored()


def open_template(template: Path, *, template_name: str) -> StreamingTemplate:
    """The project's docxtpl template, read; a missing file or one that is not a DOCX is the user's error."""
    if not template.is_file():
        raise JdgenError.at(
            template_name,
            _("the template file does not exist"),
            hint=_("set `template:` in organisation.yaml to a .docx in templates/"),
        )
    try:
        document = StreamingTemplate(template)
        document.init_docx()
    except (KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError, PackageNotFoundError) as exc:
        raise not_a_template(template_name, exc) from exc
    return document


class _MissingValue(jinja2.StrictUndefined):
    """A misspelt name in a template is an error that says which name and suggests the right one."""

    @property
    def _undefined_message(self) -> str:
        name, owner = self._undefined_name, self._undefined_obj
        if self._undefined_exception is not jinja2.exceptions.UndefinedError:  # the sandbox refused it
            return _(
                "the template may not use {name!r}: a template sees the document's values, "
                "not the program's insides"
            ).format(name=name)
        if owner is jinja2.utils.missing:
            known = list(CONTEXT_NAMES)
            said = _("the template has no value {name!r}").format(name=name)
        else:
            known = [n for n in dir(owner) if not n.startswith("_")]
            said = _("{owner} has no value {name!r}").format(owner=_kind_of(owner), name=name)
        close = difflib.get_close_matches(str(name), known, n=1)
        return said + (" (" + _("did you mean {key!r}?").format(key=close[0]) + ")" if close else "")


def _kind_of(value: object) -> str:
    """What a template value is, in the words of the template: `directive`, `a.position`, …"""
    names = {DirectiveView: N_("directive"), AnnexView: N_("an annex"), Organisation: N_("organisation")}
    names |= {
        Position: N_("a position"),
        Unit: N_("a unit"),
        Person: N_("a person"),
        NumberedTask: N_("a task"),
    }
    return _(names[type(value)]) if type(value) in names else type(value).__name__


def _xml_problem(exc: etree.XMLSyntaxError | expat.ExpatError) -> str:
    # Positions in the rendered XML would mean nothing to the template's author.
    if isinstance(exc, expat.ExpatError):
        return expat.ErrorString(exc.code)
    return re.sub(r",? line \d+.*", "", exc.msg)


def jinja_environment(wording: Wording) -> TemplateSandbox:
    """Jinja as jdgen renders templates: in the sandbox (`sandbox`), a misspelt name is an error,
    a value left out (None) prints nothing, the filters are there (with the directive's wording
    for lists)."""
    environment = TemplateSandbox(undefined=_MissingValue, autoescape=True)
    environment.finalize = environment.print_checked
    environment.filters.update(filters(wording))
    environment.wrap_filters()
    return environment


def _properties(sources: DirectiveSources) -> DocumentProperties:
    """Document metadata from the sources only: no 'now', no user name of the machine."""
    directive, organisation = sources.directive, sources.organisation
    return DocumentProperties(
        title=directive.title,
        subject=sources.unit.name,
        author=organisation.name,
        company=organisation.name,
        keywords=sources.keywords,
        category=organisation.register_series or "",
        language=organisation.language,
        moment=dt.datetime.combine(directive.date or dt.date(2000, 1, 1), dt.time()),
    )
