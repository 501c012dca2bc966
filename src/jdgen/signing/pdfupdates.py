"""What the updates appended to a built PDF change: signatures only, or what a reader sees.

A PAdES signature is an incremental update: the signed bytes are the built PDF and an update that
adds the signature. That the signed bytes *start* with the built PDF proves nothing on its own: the
same update can add a content stream that paints over a page, an annotation, or a field. So each
revision after the built one is compared with it, object by object (pyHanko reads the revisions):

- an object of the built PDF may change only where a signature goes: the catalogue (its form,
  `/DSS`, metadata, version and extensions), a page's `/Annots` (signature widgets appended), the
  document information's `/Producer` and `/ModDate`, the XMP metadata (none of them is drawn);
- every widget added is a signature's, and invisible (a visible stamp shows what jdgen did not
  build: said, so that a person looks at it); every form field added is a signature field;
- nothing is freed, the trailer keeps its catalogue and document information.

Whatever else changed is said, in a few words per object. Only `jdgen verify` imports this.
"""

from __future__ import annotations

import io

from ..i18n import _

# Keys of the catalogue a signature may add or change (none of them is drawn on a page).
_CATALOGUE_KEYS = {"/AcroForm", "/DSS", "/Metadata", "/Version", "/Extensions", "/Perms"}
_INFO_KEYS = {"/Producer", "/ModDate"}
_HIDDEN = 2  # the annotation flag that hides it on screen and on paper (NoView still prints)
_FORM_KEYS = {"/Fields", "/SigFlags", "/DR", "/DA"}  # what a signature may put into the form
_MAX_SAID = 5


def changes_beyond_signatures(data: bytes, built_length: int) -> tuple[str, ...]:
    """What the updates after the first `built_length` bytes (the built PDF) change beyond adding
    signatures, in words; empty when they only sign. Unreadable updates are a change too."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        base = PdfFileReader(io.BytesIO(data[:built_length]), strict=False).xrefs.total_revisions - 1
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        built = _Built(reader.get_historical_resolver(base))
        said: list[str] = []
        changed, freed = set(), set()  # since the built PDF, up to the revision looked at
        for revision in range(base + 1, reader.xrefs.total_revisions):
            resolver = reader.get_historical_resolver(revision)
            changed |= set(resolver.explicit_refs_in_revision())
            freed |= set(resolver.refs_freed_in_revision())
            for change in _changes(reader, base, built, resolver, changed, freed):
                if change not in said:
                    said.append(change)
    except (PdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
        return (_("the updates after the built PDF cannot be read ({problem})").format(problem=exc),)
    return tuple(said[:_MAX_SAID])


class _Built:
    """The built PDF's revision and the objects a signature may touch in it, found once."""

    def __init__(self, resolver) -> None:
        from pyhanko.pdf_utils import generic

        self.resolver = resolver
        self.root = _raw(resolver.trailer_view, "/Root")
        self.info = _raw(resolver.trailer_view, "/Info")
        self.metadata = _raw(resolver.root, "/Metadata")  # XMP: a signing program adds itself
        self.pages = {page.idnum: page for page in _page_refs(resolver)}
        self.annots = {}  # an /Annots array of its own -> its page
        for number, page in self.pages.items():
            listed = _raw(_resolved(resolver, page), "/Annots")
            if isinstance(listed, generic.IndirectObject):
                self.annots[listed.idnum] = number


def _changes(reader, base: int, built: _Built, new, changed: set, freed: set) -> list[str]:
    old = built.resolver
    said = []
    if freed:
        said.append(_("objects of the built PDF are deleted ({refs})").format(refs=_refs(freed)))
    for key in ("/Root", "/Info"):
        if _raw(old.trailer_view, key) != _raw(new.trailer_view, key):
            said.append(_("the file's {key} is replaced").format(key=key))
    for ref in sorted(changed, key=lambda r: r.idnum):
        if reader.xrefs.get_introducing_revision(ref) > base:
            continue  # new since the built PDF: judged by what refers to it, below
        before, after = old(ref), new(ref)
        if before == after or (built.metadata is not None and ref.idnum == built.metadata.idnum):
            continue  # written again unchanged (as some signing programs do), or XMP: nothing drawn
        if ref.idnum == built.root.idnum:
            said += _dictionary_change(_("the catalogue"), before, after, _CATALOGUE_KEYS)
        elif built.info is not None and ref.idnum == built.info.idnum:
            said += _dictionary_change(_("the document information"), before, after, _INFO_KEYS)
        elif ref.idnum in built.pages:
            number = list(built.pages).index(ref.idnum) + 1
            said += _dictionary_change(_("page {number}").format(number=number), before, after, {"/Annots"})
            said += _annotations_added(new, _raw(before, "/Annots"), _raw(after, "/Annots"), built.pages)
        elif ref.idnum in built.annots:
            said += _annotations_added(new, before, after, built.pages)
        else:
            said.append(
                _("object {ref} of the built PDF is changed ({kind})").format(
                    ref=ref.idnum, kind=_kind(before)
                )
            )
    said += _fields_added(old, new)
    form_before, form_after = (_get(resolver.root, "/AcroForm") or {} for resolver in (old, new))
    added = sorted(set(form_after) - set(form_before) - _FORM_KEYS)
    if added:
        said.append(_("the form gets {keys}, which a signature does not need").format(keys=", ".join(added)))
    return said


def _page_refs(resolver) -> list:
    """The references of every page, in order."""
    found, pending = [], [_raw(resolver.root, "/Pages")]
    seen = set()
    while pending:
        ref = pending.pop(0)
        if ref.idnum in seen:
            continue
        seen.add(ref.idnum)
        node = _resolved(resolver, ref)
        if _get(node, "/Type") == "/Pages":
            pending[:0] = list(_raw(node, "/Kids") or ())
        else:
            found.append(ref)
    return found


def _dictionary_change(what: str, before, after, allowed: set[str]) -> list[str]:
    keys = {key for key in {*before.keys(), *after.keys()} - allowed if _raw(before, key) != _raw(after, key)}
    if not keys:
        return []
    return [_("{what} is changed ({keys})").format(what=what, keys=", ".join(sorted(keys)))]


def _annotations_added(resolver, before, after, pages: dict) -> list[str]:
    """Annotations appended to a page: each must be a signature's invisible widget."""
    before, after = _listed(resolver, before), _listed(resolver, after)
    if after[: len(before)] != before:
        return [_("a page's annotations are replaced")]
    said = []
    for ref in after[len(before) :]:
        widget = _resolved(resolver, ref)
        if not _is_signature_widget(widget):
            said.append(_("an annotation is added ({kind})").format(kind=_kind(widget)))
        elif _visible(widget):
            page = _raw(widget, "/P")
            number = list(pages).index(page.idnum) + 1 if page is not None and page.idnum in pages else "?"
            said.append(
                _("a signature shows a stamp on page {page}, which jdgen did not build").format(page=number)
            )
    return said


def _listed(resolver, value) -> list:
    """An array (or the array a reference names) as a list of its raw items; none for no array."""
    value = _resolved(resolver, value)
    return list(value) if value is not None else []


def _resolved(resolver, value):
    from pyhanko.pdf_utils import generic

    return resolver(value.reference) if isinstance(value, generic.IndirectObject) else value


def _raw(dictionary, key: str):
    """The value of `key` as written (a reference stays a reference), or None."""
    return dict.get(dictionary, key)


def _get(dictionary, key: str, default=None):
    """The value of `key`, a reference followed (in the dictionary's own revision), or `default`."""
    try:
        return dictionary[key]
    except KeyError:
        return default


def _is_signature_widget(annotation) -> bool:
    if _get(annotation, "/Subtype") != "/Widget":
        return False
    field, depth = annotation, 0
    while field is not None and depth < 32:
        if _get(field, "/FT") == "/Sig":
            return True
        field, depth = _get(field, "/Parent"), depth + 1
    return False


def _visible(widget) -> bool:
    flags = int(_get(widget, "/F", 0))
    if flags & _HIDDEN:
        return False
    rect = [float(x) for x in _get(widget, "/Rect", [0, 0, 0, 0])]
    return len(rect) == 4 and abs(rect[2] - rect[0]) * abs(rect[3] - rect[1]) > 0


def _fields_added(old, new) -> list[str]:
    """Form fields added to the document: signature fields only."""

    def others(resolver) -> int:
        return sum(1 for field in _fields(resolver) if _get(field, "/FT", "/Sig") != "/Sig")

    return [_("a form field is added that is not a signature's")] if others(new) > others(old) else []


def _fields(resolver) -> list:
    form = _get(resolver.root, "/AcroForm")
    if form is None:
        return []
    found: list = []
    pending = list(_get(form, "/Fields", []))
    while pending and len(found) < 10_000:
        field = _resolved(resolver, pending.pop())
        found.append(field)
        pending.extend(_get(field, "/Kids", []))
    return found


def _kind(value) -> str:
    kind = (_get(value, "/Type") or _get(value, "/Subtype")) if isinstance(value, dict) else None
    return str(kind).lstrip("/") if kind else type(value).__name__.replace("Object", "").lower()


def _refs(refs) -> str:
    return ", ".join(str(ref.idnum) for ref in sorted(refs, key=lambda r: r.idnum)[:5])
