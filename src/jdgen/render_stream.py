"""docxtpl's template with the body rendered as a stream: the fast path of `render`.

docxtpl renders the body to one string, rewrites it with regular expressions (newline clean-up,
brace escapes, tabs and line breaks in values), re-counts table columns, parses it into a tree and
serialises that again: several copies of a 24 MB text and a 200 MB tree for a thousand annexes.
`StreamingTemplate` feeds Jinja's output chunk by chunk through an XML well-formedness check into
UTF-8 bytes (`body`), which `output.reproducible_zip` puts into word/document.xml where docxtpl
left an empty body. Headers, footers and properties are still docxtpl's, and docxtpl's own
whole-string path is taken whenever one of its rewrites is needed. A test checks that both paths
give the same document.
"""

from __future__ import annotations

import functools
import io
import re
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

    Measured by `make bench` (README: "Speed").
    """

    body: bytes | None = None

    def build_xml(self, context, jinja_env=None):
        source = self.get_xml()
        text = "".join(t.text or "" for t in self.docx.element.body.iter(qn("w:t")))  # runs joined
        if "<wp:docPr" in source or _needs_docxtpl(text):
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
        except _NeedsRewrite:
            raise
        except Exception as exc:  # the template's code failed (a misspelt name, 1/0): its paragraph
            raise TemplateFailure(exc, _paragraph_of(exc, source)) from exc
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


_CHUNK = 1 << 16
_EMPTY_BODY = f'<w:body xmlns:w="{nsmap["w"]}"/>'
_PARAGRAPH_START = re.compile(r"<w:p([ >])")
# What docxtpl rewrites in the rendered text: listing characters and brace escapes.
_REWRITTEN = ("\t", "\n", "\a", "\f", "{_{", "{_%", "}_}", "%_}")
# docxtpl's own tags that only its whole-string path handles: column loops, spans, merges, shading.
_DOCXTPL_ONLY = {"colspan", "cellbg", "vm", "hm"}


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
