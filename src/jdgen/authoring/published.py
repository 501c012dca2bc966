"""Read a published directive (its lines, from `sourcetext`) back into its parts, for `jdgen import`.

A register gives the signed directive as text whose lines are wrapped wherever the PDF wrapped them.
The text is cut into the directive's body and its annexes at the annex header ("KINNITATUD …"); in
an annex, a line that starts with one of the template's labels ("Teenistuskoht", "Haridus", …)
starts that value, a line "2.N." a task, and the other lines continue what came before (a line that
starts with a capital after a task is a result). Every phrase used to find things comes from the
project's template (`layout` and `phrases`, the template's own words) or from organisation.yaml, so another
agency's layout is read with its own words.

What the annexes say is turned into YAML by `imported`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..document.layout import AnnexLayout
from ..document.number import long_date_adessive, long_date_elative
from ..document.templatetext import pieces
from ..format.inflection import genitive, nominative
from ..format.model import Position
from ..i18n import _
from . import approval
from .annextext import PublishedAnnex, read_annex
from .citations import read_repeals
from .phrases import Phrases

# The values every position gives: a partly shown annex without one of them is a stub.
_REQUIRED = [name for name, spec in Position.model_fields.items() if spec.is_required()]


# -- reading the text --------------------------------------------------------------------------


class NotPublished(Exception):
    """The file is not the text of a published directive or job description (the reason)."""


def refuse_templates(lines: list[str]) -> None:
    """A template (or any file with Jinja tags) is not a published text: importing it would turn
    its tags into job descriptions."""
    for line in lines:
        tag = next((piece for piece in pieces(line) if piece.tag), None)
        if tag is not None:
            inside = " ".join(".".join(path) for path in tag.paths)
            shown = f"{{{{ {inside} }}}}" if tag.tag == "variable" else f"{{% {inside} %}}"
            raise NotPublished(_("it holds template tags ({tag}), so it is a template").format(tag=shown))


@dataclass
class PublishedDirective:
    number: str | None
    date: dt.date | None
    title: str | None
    unit_genitive: str | None
    repeals: list[dict[str, Any]]
    extra_points: list[Any]  # a text, or {text, after} where it does not follow the repeal point
    in_force: dt.date | None
    annexes: list[PublishedAnnex]
    applies_from: dt.date | None = None
    kept_as_text: list[int] = field(default_factory=list)  # points of no known kind: kept as written
    listed: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # point 1's items: number, values
    unit_genitives: dict[str, str] = field(default_factory=dict)  # an annex's unit (lower case): genitive
    legal_basis: str | None = None  # where it is not organisation.yaml's
    signer: dict[str, str] | None = None  # where it is not organisation.yaml's: name, title
    wording: dict[str, Any] = field(default_factory=dict)  # the words this directive says otherwise
    own_words: dict[str, str] = field(default_factory=dict)  # a point printed in the source's words
    points: list[tuple[str | None, str]] = field(default_factory=list)  # each point: its kind, its text
    named: list[int] = field(default_factory=list)  # the annexes point 1 names by number ("lisad 1-4")
    annex_page: bool = False  # the text shows annexes only, not the directive's page


def read_published(
    lines: list[str],
    phrases: Phrases,
    layout: AnnexLayout,
    organisation: Any,
    *,
    whole_cells: bool = False,
    row_labels: frozenset[str] = frozenset(),
    complete: bool = False,
) -> PublishedDirective:
    """The directive's body and annexes from the lines of its published text (`whole_cells`: a
    DOCX's, each table cell on one line; `complete`: a whole document, a DOCX or PDF, which no
    register's excerpt cut short)."""
    starts = annex_starts(lines, phrases)
    approving = phrases.approve and any(f" {phrases.approve} " in f" {line} " for line in lines)
    if not starts and not approving:  # a single job description
        first = next((i for i, line in enumerate(lines) if phrases.is_title(line)), None)
        if first is None:
            raise NotPublished(
                _(
                    "found neither an annex header ({header} …) nor a job description's title ({title})"
                ).format(header=phrases.annex_header, title=phrases.annex_title)
            )
        only = read_annex(
            lines[first:],
            layout,
            None,
            phrases.annex_title,
            whole_cells=whole_cells,
            row_labels=row_labels,
            title_last=phrases.title_last,
        )
        only.span = (0, len(lines))
        return PublishedDirective(None, None, None, None, [], [], None, [only])
    body = lines[: starts[0]] if starts else lines  # without annexes: the directive's page alone
    ends = [*starts[1:], len(lines)] if starts else []
    annexes = [
        _annex(lines[a:b], layout, phrases, whole_cells, row_labels)
        for a, b in zip(starts, ends, strict=True)
    ]
    for annex, a, b in zip(annexes, starts, ends, strict=True):
        annex.span = (a, b)
    for annex in annexes:  # the outer unit, where the header prints it ("TEEHOIUTEENISTUS")
        if phrases.outer_unit_line is not None and len(annex.header) > phrases.outer_unit_line:
            outer = annex.header[phrases.outer_unit_line]  # counted from the top: the lines below may wrap
            outer = outer.lower() if outer.isupper() else outer
            annex.outer_unit = (nominative(outer) or outer) if phrases.outer_unit_genitive else outer
    for annex in annexes:
        _heading_title(annex, phrases)
    read = _directive(body, phrases, organisation, annexes)
    if read.points and not any(kind == "approve" for kind, _text in read.points):
        opening = " ".join(read.points[0][1].split()[:2])
        raise NotPublished(
            _(
                "no point approves job descriptions as the template's point does ({approve} …); point 1 "
                "says {first!r} …: another kind of directive (an amendment?), which jdgen does not build"
            ).format(approve=phrases.approve, first=opening)
        )
    for index, annex in enumerate(annexes, 1):
        annex.number = annex.number or index  # a header without its number: the annexes' order
    units = [g for annex in annexes if (g := genitive(annex.fields.get("unit", "")))]
    items = {n: approval.unit_and_title(values, units) for n, values in read.listed}
    listed = {n: approval.stub_fields(values) for n, values in items.items()}
    for annex in annexes:
        if not annex.fields and not annex.tasks and annex.number in listed:  # a header with no body
            annex.fields, annex.stub = listed[annex.number], True
        _genitives(annex, items.get(annex.number or 0, {}), read)
    for annex in annexes:  # partly shown (a register page ends inside it): a stub of what it shows
        annex.missing = [
            name for name in _REQUIRED if not (annex.tasks if name == "tasks" else annex.fields.get(name))
        ]
        shows = annex.fields.keys() - {"title", "unit", "title_genitive"} or annex.tasks
        # partly shown, or its header alone: a stub to fill in
        annex.stub = annex.stub or bool(annex.missing and shows) or not (annex.fields or annex.tasks)
    if annexes and not complete and not annexes[-1].stub and _ends_inside(annexes[-1], lines, layout):
        annexes[-1].stub = annexes[-1].cut = True  # the text ends inside it: what follows is not shown
    found = {annex.number for annex in annexes}
    for number, fields in listed.items():  # listed in point 1, no body in the text: a stub to fill in
        if number not in found:
            read.annexes.append(PublishedAnnex(number, fields, stub=True))
    # Every annex the body names ("lisad 1-4"), and every one before the last shown (its number is
    # its place): a stub where the text has none.
    known = {n for n in found if n is not None} | listed.keys()
    for number in sorted({*read.named, *range(1, max(known, default=0))} - known):
        read.annexes.append(PublishedAnnex(number, {}, stub=True))
    read.annexes.sort(key=lambda annex: annex.number or 0)
    if not body and starts:  # a page of annexes only: the directive they belong to, from their header
        read.annex_page = True
        header = next(annex.header for annex in read.annexes if annex.header)
        read.date, read.number = phrases.cited_directive(header) or (None, None)
        read.title = read.title or phrases.cited_title(header)
    return read


def _ends_inside(annex: PublishedAnnex, lines: list[str], layout: AnnexLayout) -> bool:
    """Whether the text ends inside its last annex: in the middle of a sentence, or before the
    annex's last section (a register page's excerpt ends wherever the register cut it)."""
    last = lines[-1].rstrip() if lines else ""
    if annex.cut or not last.endswith((".", "!", "?", ")", "-", "–")):
        return True
    final = set(layout.sections[-1].fields) if layout.sections else set()
    return bool(final) and not annex.trailing and not any(annex.fields.get(name) for name in final)


def _heading_title(annex: PublishedAnnex, phrases: Phrases) -> None:
    """The title's genitive as the header prints it above the title word ("ARENDAMISE OSAKONNA
    JUHATAJA AMETIJUHEND"): kept where the rule would not derive it from the title; where the annex
    has no title of its own, the nominative of it, or a placeholder to fill in."""
    line = phrases.title_line
    if line is None or not annex.header or len(annex.header) <= line:
        return
    heading = " ".join(annex.header[line:]).lower()  # counted from the top: the title may wrap
    unit = genitive(annex.fields.get("unit", "")) or ""
    if phrases.title_after_unit and unit and heading.startswith(unit.lower() + " "):
        heading = heading[len(unit) + 1 :]
    elif phrases.title_after_unit:
        return  # where the unit ends and the title begins is not known
    title = annex.fields.get("title")
    if title is None:
        found = nominative(heading)
        annex.fields["title"] = found or "…"
        annex.heading_title = found is None
        title = found
    if title is None or (genitive(title) or "").lower() != heading:
        annex.fields["title_genitive"] = heading


def _genitives(annex: PublishedAnnex, item: dict[str, str], read: PublishedDirective) -> None:
    """What point 1's item prints in the genitive, where no rule would derive it from the annex's
    own text: the title's (kept as `title_genitive`), the unit's (for its `_unit.yaml`)."""
    title, unit = annex.fields.get("title"), annex.fields.get("unit")
    if title and "title_genitive" in item and genitive(title) != item["title_genitive"]:
        annex.fields["title_genitive"] = item["title_genitive"]
    if unit and "unit_genitive" in item:
        read.unit_genitives[unit.lower()] = item["unit_genitive"]


def _directive(
    body: list[str], phrases: Phrases, organisation: Any, annexes: list[PublishedAnnex]
) -> PublishedDirective:
    text = " ".join(body)
    number = date = None
    heading = re.search(rf"(\d{{2}}\.\d{{2}}\.\d{{4}}) {re.escape(phrases.number_word)} (\S+)", text)
    rest = text
    if heading:
        date = dt.datetime.strptime(heading.group(1), "%d.%m.%Y").date()
        number = heading.group(2)
        rest = text[heading.end() :].strip()
    first = _first_point(rest)
    title, basis = _title_and_basis(rest[: first.start()] if first else "", organisation)
    points, signer = _points_and_signer(rest[first.start() :] if first else rest, phrases, organisation)
    read = PublishedDirective(number, date, title, None, [], [], None, annexes)
    if basis is not None and basis != " ".join(organisation.legal_basis.split()):
        read.legal_basis = basis
    if signer is not None and signer != {
        "name": organisation.signer.name,
        "title": organisation.signer.title,
    }:
        read.signer = signer
    _read_points(read, _points(points), phrases, organisation)
    return read


def body_points(body: list[str], phrases: Phrases, organisation: Any) -> list[str]:
    """The texts of the body's numbered points (a build's, read back), as `read_published` cuts
    a source's: without the right of appeal and the signature after them."""
    text = " ".join(body)
    first = _first_point(text)
    return _points(_points_and_signer(text[first.start() :], phrases, organisation)[0]) if first else []


def annex_starts(lines: list[str], phrases: Phrases) -> list[int]:
    """The indexes of the lines that start an annex (its header: "KINNITATUD …")."""
    return [i for i, line in enumerate(lines) if phrases.starts_annex(line)]


def _first_point(text: str) -> re.Match[str] | None:
    return re.search(r"(?:^|\s)1\.\s(?=[A-ZÕÄÖÜŠŽ])", text)


def _title_and_basis(preamble: str, organisation: Any) -> tuple[str | None, str | None]:
    """The title and the legal basis, from the words between the heading and point 1: the basis
    starts where organisation.yaml's starts (with any quote style), or with its first words (a
    basis with more to it: "… ning peadirektori … käskkirja … alusel")."""
    preamble = preamble.strip()
    own = " ".join(organisation.legal_basis.split())
    plain = _plain_quotes(preamble)  # one character for one: the places are the same
    if _plain_quotes(own) in plain:
        at = plain.index(_plain_quotes(own))
    else:
        start = " ".join(own.split()[:3])
        at = plain.find(_plain_quotes(start)) if start else -1
    if at < 0:
        return None, preamble or None
    return preamble[:at].strip() or None, preamble[at:].strip() or None


def _points_and_signer(text: str, phrases: Phrases, organisation: Any) -> tuple[str, dict[str, str] | None]:
    """The points, without what follows them (the right of appeal, the signature), and the signer
    that the signature names: name and title, as printed after the template's line before them."""
    plain = _plain_quotes(text)
    cut = len(text)
    for end in (" ".join(organisation.appeal or []), phrases.signed):
        end = _plain_quotes(" ".join((end or "").split()))
        if end and end in plain:
            cut = min(cut, plain.index(end))
    signer = None
    if phrases.signed and _plain_quotes(phrases.signed) in plain:
        signed = plain.index(_plain_quotes(phrases.signed)) + len(phrases.signed)
        after = text[signed:]
        if _plain_quotes(phrases.signed) in _plain_quotes(after):  # a second signature: not this signer's
            after = after[: _plain_quotes(after).index(_plain_quotes(phrases.signed))]
        words = after.split()
        # up to a note after the signature ("Koopia: …", "Teadmiseks: …")
        words = list(itertools.takewhile(lambda word: not word.endswith(":"), words))
        signer = _signer(words, organisation)
    return text[:cut], signer


def _signer(words: list[str], organisation: Any) -> dict[str, str] | None:
    """Name and title from the words after "(allkirjastatud digitaalselt)": organisation.yaml's
    signer's name where it stands there, else the words with a capital first letter."""
    if not words:
        return None
    known = organisation.signer.name.split()
    if words[: len(known)] == known:
        count = len(known)
    else:
        count = len(list(itertools.takewhile(lambda w: w[:1].isupper(), words)))
        count = min(count, len(words) - 1) if count > 1 else 0
    if not count or count == len(words):
        return None
    return {"name": " ".join(words[:count]), "title": " ".join(words[count:])}


def _read_points(read: PublishedDirective, points: list[str], phrases: Phrases, organisation: Any) -> None:
    """Each point by its opening words: the approval (with its list of annexes), the repeal (its
    acts as data), the entry into force (its dates); any other point is kept as written where it
    stood."""
    last_known = "approve"
    for number, text in enumerate(points, 1):
        if phrases.approve and text.startswith(phrases.approve + " "):
            read.unit_genitive = approval.unit_genitive(
                text[len(phrases.approve) :].strip(), phrases.approval, organisation
            )
            read.listed = approval.listed(text, phrases.approval)
            read.named = approval.named_numbers(text, phrases.annex_word, organisation.wording)
            last_known = "approve"
            read.points.append(("approve", text))
        elif (
            phrases.repeal
            and text.startswith(phrases.repeal)
            and (
                cited := read_repeals(
                    text[len(phrases.repeal) :],
                    phrases.number_word,
                    organisation.wording,
                    organisation.issuer_genitive,
                )
            )
        ):
            read.repeals += cited
            last_known = "repeal"
            read.points.append(("repeal", text))
        elif phrases.in_force and text.startswith(phrases.in_force):
            read.in_force = _long_date(text, long_date_adessive)
            read.applies_from = _long_date(text, long_date_elative)
            last_known = "in_force"
            read.points.append(("in_force", text))
        else:  # a point of no known kind: kept as it is, as a further point where it stood
            after = last_known if last_known != "repeal" else None
            read.extra_points.append({"text": text, "after": after} if after else text)
            read.kept_as_text.append(number)
            read.points.append((None, text))


def _plain_quotes(text: str) -> str:
    """Any quote style as one, to compare texts: „…”, “…” and "…" read the same."""
    return re.sub(r"[„“”]", '"', text)


def _points(text: str) -> list[str]:
    """The numbered points "1. …", "2. …" of the body, numbered one after the other (so "1.1." and
    "2025. aasta 1. jaanuaril" stay inside their point)."""
    starts: list[re.Match[str]] = []
    position = 0
    while True:
        found = re.compile(rf"(?:^|\s){len(starts) + 1}\.\s(?=[A-ZÕÄÖÜŠŽ])").search(text, position)
        if found is None:
            break
        starts.append(found)
        position = found.end()
    ends = [m.start() for m in starts[1:]] + [len(text)] * bool(starts)
    return [text[m.end() : end].strip() for m, end in zip(starts, ends, strict=True)]


def _long_date(text: str, form: Callable[[dt.date], str]) -> dt.date | None:
    """The first date in `text` written in `form`: "2025. aasta 1. jaanuaril" with
    `long_date_adessive`, "… 1. septembrist" with `long_date_elative`."""
    months = {form(dt.date(2000, m, 1)).split()[-1]: m for m in range(1, 13)}
    for found in re.finditer(r"(\d{4})\. aasta (\d{1,2})\. (\w+)", text):
        if found.group(3) in months:
            return dt.date(int(found.group(1)), months[found.group(3)], int(found.group(2)))
    return None


def _annex(
    lines: list[str], layout: AnnexLayout, phrases: Phrases, whole_cells: bool, row_labels: frozenset[str]
) -> PublishedAnnex:
    title = next((i for i, line in enumerate(lines) if phrases.is_title(line)), 3)
    found = re.search(rf"\b{re.escape(phrases.annex_word)} (\d+)\b", " ".join(lines[: max(title, 3)]))
    number = int(found.group(1)) if found else None
    return read_annex(
        lines,
        layout,
        number,
        phrases.annex_title,
        whole_cells=whole_cells,
        row_labels=row_labels,
        title_last=phrases.title_last,
    )
