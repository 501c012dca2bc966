"""docxtpl's template with the body rendered as a stream: the fast path of `render`.

docxtpl renders the body to one string, rewrites it with regular expressions (newline clean-up,
brace escapes, tabs and line breaks in values), re-counts table columns, parses it into a tree and
serialises that again: several copies of a 24 MB text and a 200 MB tree for a thousand annexes.
`StreamingTemplate` feeds Jinja's output chunk by chunk through an XML well-formedness check into
UTF-8 bytes (`body`), which `output.reproducible_package` puts into word/document.xml where docxtpl
left an empty body. Headers, footers and properties are still docxtpl's, and docxtpl's own
whole-string path is taken whenever one of its rewrites is needed. A test checks that both paths
give the same document.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator
from xml.parsers import expat

from docx.oxml.ns import nsmap, qn
from docxtpl import DocxTemplate
from lxml import etree

from .templatetext import lexed_whole, pieces


class StreamingTemplate(DocxTemplate):
    """docxtpl's template, streaming the body unless one of docxtpl's rewrites is needed, i.e. when
    the template or a value

    - uses docxtpl's column-loop, span and merge tags (`{%tc %}`, `colspan`, `cellbg`, `vm`,
      `hm`) or has pictures (`wp:docPr` ids are renumbered);
    - contains a tab, newline, BEL or form feed (docxtpl turns them into tabs, line breaks,
      paragraphs and page breaks) or a `{_{`-style brace escape.

    The body is rendered only when `body` is read, chunk by chunk, as the zip entry is written
    (`output.reproducible_package`): it is never held whole. A value that needs a rewrite raises
    `NeedsRewrite` then; `render` starts again with `streaming = False`.
    Measured by `make bench` (docs/design.md: "Speed").
    """

    body: Iterator[bytes] | None = None
    streaming: bool = True

    def build_xml(self, context, jinja_env=None):
        source = self.get_xml()
        text = "".join(t.text or "" for t in self.docx.element.body.iter(qn("w:t")))  # runs joined
        if not self.streaming or "<wp:docPr" in source or _needs_docxtpl(text):
            return super().build_xml(context, jinja_env)
        patched = self.patch_xml(source)
        check = not sound(patched) or _PREFIXED_VALUE.search(text) is not None
        self.body = self._stream_body(patched, context, jinja_env, check=check)
        return _EMPTY_BODY  # docxtpl's own passes run on nothing; the body is spliced in on saving

    def patch_xml(self, src_xml: str) -> str:
        return _patched(src_xml)

    def _stream_body(self, source: str, context, jinja_env, *, check: bool) -> Iterator[bytes]:
        # The body's start tag without the namespace declarations it carries as a fragment.
        source = "<w:body>" + source[source.index(">") + 1 :]
        # As docxtpl does: a line per paragraph, so a template error can show its paragraph.
        source = _PARAGRAPH_START.sub(r"\n<w:p\1", source)
        self.current_rendering_part = self.docx._part
        well_formed = _WellFormed(self._document_start) if check else None
        pending: list[str] = []
        size = 0
        carry = ""
        try:
            pieces = jinja_env.from_string(source).generate(context)
            while batch := list(itertools.islice(pieces, _BATCH)):  # joined in C, not piece by piece
                text = "".join(batch)
                pending.append(text)
                size += len(text)
                if size >= _CHUNK:
                    data, carry = _emit(well_formed, carry + "".join(pending), final=False)
                    pending, size = [], 0
                    yield data
        except NeedsRewrite:
            raise
        except Exception as exc:  # the template's code failed (a misspelt name, 1/0): its paragraph
            raise TemplateFailure(exc, _paragraph_of(exc, source)) from exc
        data, _ = _emit(well_formed, carry + "".join(pending), final=True)
        if well_formed is not None:
            well_formed.close()
        yield data

    def render_xml_part(self, src_xml, part, context, jinja_env=None):
        """docxtpl's rendering of a part (a header, a footer, the body on its own path); a failure
        of the template's code carries its paragraph, as in the streamed body."""
        try:
            return super().render_xml_part(src_xml, part, context, jinja_env)
        except NeedsRewrite:
            raise
        except Exception as exc:
            if getattr(exc, "docx_context", None) is not None:
                raise  # docxtpl found the place itself
            source = re.sub(r"<w:p([ >])", r"\n<w:p\1", src_xml)  # as docxtpl numbers the lines
            raise TemplateFailure(exc, _paragraph_of(exc, source)) from exc

    @functools.cached_property
    def _document_start(self) -> str:
        """The start tag of the template's `w:document`, with its namespace declarations."""
        root = self.docx._element
        shell = etree.Element(root.tag, attrib=dict(root.attrib), nsmap=root.nsmap)
        etree.SubElement(shell, "placeholder")
        text = etree.tostring(shell, encoding="unicode")
        return text[: text.index("<placeholder")]


class NeedsRewrite(Exception):
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


def _emit(check: _WellFormed | None, text: str, *, final: bool) -> tuple[bytes, str]:
    """`text` without docxtpl's line breaks, as bytes, and the tail kept for the next chunk.

    The last five characters wait, so a `\\n<w:p ` or `{_{` split between chunks is seen whole.
    """
    keep = "" if final else text[-5:]
    text = text[: len(text) - len(keep)].replace("\n<w:p>", "<w:p>").replace("\n<w:p ", "<w:p ")
    # One character is looked for fast (memchr); a brace escape only where its "_" is.
    if any(mark in text for mark in _REWRITTEN_CHARACTERS) or (
        "_" in text and any(mark in text for mark in _REWRITTEN_ESCAPES)
    ):
        raise NeedsRewrite
    data = text.encode()
    if check is not None:
        check.feed(data)
    return data, keep


@functools.lru_cache(maxsize=64)
def sound(source: str) -> bool:
    """Whether any rendering of the template's (patched) body is well-formed XML, whatever the
    values: every `{% %}` block's tags (`if`/`elif`/`else`/`endif`, `for`/`endfor`, …) stand
    inside the same elements, so that a branch left out, taken or repeated closes what it opens.
    docxtpl's `{%p %}` and `{%tr %}` tags stand between paragraphs and rows; an `{% if %}` inside
    one paragraph's runs is as sound. Values are escaped (autoescape), unless the template marks
    one `safe`. Then the body is not parsed again while it is rendered; otherwise it is (`_WellFormed`)."""
    if _SAFE.search(source):
        return False
    elements: list[str] = []
    blocks: list[tuple[str, tuple[str, ...]]] = []
    for match in _TOKENS.finditer(source):
        word, name = match.group("word"), match.group("name")
        if name is not None:
            if match.group("close"):
                if not elements or elements.pop() != name:
                    return False
            elif not match.group("empty"):
                elements.append(name)
        elif word is not None:
            here = tuple(elements)
            if word in _OPENING or (word == "set" and "=" not in match.group("rest")):
                blocks.append((word, here))
            elif word in ("elif", "else"):
                if not blocks or blocks[-1][1] != here:
                    return False
            elif word.startswith("end") and word != "end":
                if not blocks or blocks.pop()[1] != here:
                    return False
            elif word != "set":
                return False  # raw, include, import, a tag of docxtpl's or an extension's: parse it
    return not blocks


def _paragraph_of(exc: BaseException, source: str) -> str:
    """The text of the paragraph a template error is in, as docxtpl shows it: the body is
    rendered with one paragraph per line."""
    line = getattr(exc, "lineno", None) or template_line(exc)
    lines = source.splitlines()
    if line is None or not 0 < line <= len(lines):
        return ""
    return re.sub(r"<[^>]+>", "", lines[line - 1])


class TemplateFailure(Exception):
    """The template's own code failed while rendering: the error, and the text of its paragraph."""

    def __init__(self, error: Exception, paragraph: str) -> None:
        super().__init__(str(error))
        self.error = error
        self.paragraph = paragraph


def template_line(exc: BaseException) -> int | None:
    """The template line a runtime error (a misspelt name, 1/0) was raised at, or None when the
    template's code did not raise it: Jinja puts its frames into the traceback as "<template>"."""
    line, frame = None, exc.__traceback__
    while frame is not None:
        if frame.tb_frame.f_code.co_filename == "<template>":
            line = frame.tb_lineno
        frame = frame.tb_next
    return line


_CHUNK = 1 << 18  # characters per chunk handed to the zip entry
_BATCH = 4096  # pieces of Jinja's output joined at a time
_SAFE = re.compile(r"\|\s*safe\b|\bfilter\s+safe\b")  # a value printed unescaped
_OPENING = frozenset({"if", "for", "with", "filter", "macro", "call", "block", "autoescape"})
# The patched body's tokens: a `{% %}` tag (its first word), a `{{ }}` value or `{# #}` comment
# (passed over: it may hold any characters), an XML tag (its name; closing or empty).
_TOKENS = re.compile(
    r"\{%-?\s*(?P<word>\w*)(?P<rest>.*?)%\}"
    r"|\{\{.*?\}\}|\{#.*?#\}"
    r"|<(?P<close>/)?(?P<name>[A-Za-z_][\w:.-]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*?(?P<empty>/)?>",
    re.DOTALL,
)
# docxtpl's prefixed values ({{r x }}, {{p x }}, …) print XML of their own: the body is parsed.
_PREFIXED_VALUE = re.compile(r"\{\{-?(r|p|tr|tc)\s")
_EMPTY_BODY = f'<w:body xmlns:w="{nsmap["w"]}"/>'
_PARAGRAPH_START = re.compile(r"<w:p([ >])")
# What docxtpl rewrites in the rendered text: listing characters and brace escapes.
_REWRITTEN_CHARACTERS = ("\t", "\n", "\a", "\f")
_REWRITTEN_ESCAPES = ("{_{", "{_%", "}_}", "%_}")
# docxtpl's own tags that only its whole-string path handles: column loops, spans, merges, shading.
_DOCXTPL_ONLY = {"colspan", "cellbg", "vm", "hm"}


@functools.lru_cache(maxsize=64)
def _patched(src_xml: str) -> str:
    """docxtpl's clean-up of a part's XML for Jinja, a function of the XML alone: done once per
    template part in a process, not once per directive (it was a tenth of a build of many)."""
    return DocxTemplate.patch_xml(None, src_xml)  # it uses nothing of self


@functools.lru_cache(maxsize=64)
def _needs_docxtpl(text: str) -> bool:
    """Whether the template's text (its runs joined, as Word may split a tag across runs) uses
    what only docxtpl's whole-string path handles: its column-loop, span, merge and shading tags.
    Text that Jinja cannot read to its end takes docxtpl's path too: it reports the error."""
    found = pieces(text)
    if not lexed_whole(text):
        return True
    return any(
        piece.prefix == "tc" or (piece.names[:1] and piece.names[0] in _DOCXTPL_ONLY)
        for piece in found
        if piece.tag == "block"
    )
