"""Read a published directive (register text or DOCX) back into its parts, for `jdgen import`.

A register gives the signed directive as text whose lines are wrapped wherever the PDF wrapped them.
The text is cut into the directive's body and its annexes at the annex header ("KINNITATUD …"); in
an annex, a line that starts with one of the template's labels ("Teenistuskoht", "Haridus", …)
starts that value, a line "2.N." a task, and the other lines continue what came before (a line that
starts with a capital after a task is a result). Every phrase used to find things comes from the
project's template (`layout` and the template's own words) or from organisation.yaml, so another
agency's layout is read with its own words.

What the annexes say is turned into YAML by `imported`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn

from .annextext import PublishedAnnex, read_annex
from .citations import read_repeals
from .errors import JdgenError
from .inflection import genitive, nominative
from .layout import AnnexLayout, text_of
from .number import long_date_adessive, long_date_elative
from .templatetext import has_tags, literal, loop_over, pieces, text_after, value_paths, word_before

# -- the words of the template -----------------------------------------------------------------


@dataclass(frozen=True)
class Phrases:
    """The fixed words of the template that mark the parts of a published directive."""

    annex_header: str  # "KINNITATUD"
    annex_title: str  # "AMETIJUHEND"
    approve: str  # "Kinnitan"
    repeal: str | None  # "Tunnistan kehtetuks"
    in_force: str | None  # "Käskkiri jõustub"
    annex_word: str = "Lisa"  # before the annex's number in its header
    number_word: str = "nr"  # between the directive's date and number
    signed: str | None = None  # the line before the signer's name: "(allkirjastatud digitaalselt)"
    before_unit: tuple[tuple[str, ...], ...] = ()  # values printed between "Kinnitan" and the unit
    after_unit: tuple[str, ...] = ()  # the words that may follow the unit's genitive in point 1
    outer_unit_line: int | None = None  # which line of the annex header prints the outer unit
    header_lines: int = 0  # how many lines the annex header has above its title
    listed: str | None = None  # the pattern of an annex's item in point 1, its values as groups
    listed_capital: tuple[str, ...] = ()  # the groups printed with a capital first letter


def template_phrases(template: Path) -> Phrases:
    """The literal words after `{{ points.X }}.` and the first words of the annex, from the template."""
    paragraphs = [text_of(p) for p in docx.Document(str(template)).element.body.iter(qn("w:p"))]

    def after_point(name: str) -> str | None:
        for text in paragraphs:
            after = (text_after(text, ("points", name)) or "").lstrip()
            if after.startswith("."):  # "{{ points.repeal }}. Tunnistan kehtetuks {% … %}"
                return " ".join(after[1:].split()) or None
        return None

    loops = [i for i, text in enumerate(paragraphs) if loop_over(text, "annexes")]
    if not loops:
        raise JdgenError.at(
            str(template),
            "the template has no loop over the annexes ({%p for a in annexes %})",
            hint="import reads the annexes' layout from that loop; keep it in the template",
        )
    loop = loops[-1]
    literal_words = [words for text in paragraphs[loop + 1 :] if (words := literal(text).split())]

    def before(prints: Callable[[tuple[str, ...]], bool], default: str, start: int = 0) -> str:
        return next((w for text in paragraphs[start:] if (w := word_before(text, prints))), default)

    approving = next(
        (t for t in paragraphs if (text_after(t, ("points", "approve")) or "").startswith(".")), ""
    )
    header = list(
        itertools.takewhile(lambda t: literal(t).split()[:1] != literal_words[1][:1], paragraphs[loop + 1 :])
    )
    signer = next(
        (i for i, t in enumerate(paragraphs) if ("directive", "signer", "name") in value_paths(t)), 0
    )
    return Phrases(
        annex_header=literal_words[0][0],
        annex_title=literal_words[1][0],
        approve=after_point("approve") or "",
        repeal=after_point("repeal"),
        in_force=after_point("in_force"),
        annex_word=before(lambda path: len(path) == 2 and path[1] == "number", "Lisa", loop + 1),
        number_word=before(lambda path: path == ("directive", "number_text"), "nr"),
        signed=" ".join(paragraphs[signer - 1].split())
        if signer and not has_tags(paragraphs[signer - 1])
        else None,
        **_around_unit(approving),
        outer_unit_line=next(
            (
                i
                for i, t in enumerate(header)
                if any(p[1:2] == ("units",) and p[-1] == "name" for p in value_paths(t))
            ),
            None,
        ),
        header_lines=len(header),
        **_listed_item(paragraphs, loops[0]),
    )


# What an annex's item in point 1 may print of the annex, as the groups of its pattern.
_LISTED_VALUES = {
    ("title_in_list",): "title_in_list",
    ("position", "title"): "title",
    ("title_genitive",): "title_genitive",
    ("unit", "genitive"): "unit_genitive",
    ("unit", "name"): "unit",
}


def _listed_item(paragraphs: list[str], loop: int) -> dict[str, Any]:
    """The pattern of an annex's item in point 1 ("1.2. Lõuna osakonna juhataja ametijuhend (lisa
    2)"), from the first paragraph of the first loop over the annexes that prints the annex's number:
    its literal words as they are, the values it prints as named groups, up to its first block tag."""
    var = loop_over(paragraphs[loop], "annexes")
    item = next((t for t in paragraphs[loop + 1 :] if (var, "number") in value_paths(t)), None)
    if item is None:
        return {}
    pattern, capital, numbered = r"(?:^|\s)", [], False
    for piece in pieces(item):
        if piece.tag == "block":
            break
        if piece.tag is None:
            pattern += r"\s+".join(re.escape(word) for word in re.split(r"\s+", piece.text))
            continue
        path = piece.paths[0] if piece.paths else ()
        name = _LISTED_VALUES.get(path[1:]) if path[:1] == (var,) else None
        if path == (var, "number") and not numbered:
            pattern, numbered = pattern + r"(?P<number>\d+)", True
        elif name is not None and f"(?P<{name}>" not in pattern:
            # within one item (items end with ";"); a unit before the title takes all but its last words
            pattern += rf"(?P<{name}>[^;]+?)" if name != "unit_genitive" else rf"(?P<{name}>[^;]+)"
            capital += [name] if "capital" in piece.names else []
        else:
            pattern += r"\S+?" if path[:1] in (("points",), (var,)) else r"[^;]+?"
    if pattern.endswith("+?)"):  # a value last (its punctuation in a block tag): up to the item's end
        pattern += r"(?=[;.](?:\s|$)|$)"
    return {"listed": pattern, "listed_capital": tuple(capital)} if numbered else {}


def _around_unit(approving: str) -> dict[str, Any]:
    """What point 1 prints around the unit's genitive: values before it, literal words after it."""
    found = pieces(approving)
    at = next((i for i, piece in enumerate(found) if ("directive", "unit", "genitive") in piece.paths), None)
    if at is None:
        return {}
    start = next((i for i, piece in enumerate(found) if ("points", "approve") in piece.paths), 0)
    before = tuple(path for piece in found[start + 1 : at] if piece.tag == "variable" for path in piece.paths)
    after = tuple(
        dict.fromkeys(
            words[0] for piece in found[at + 1 :] if not piece.tag and (words := piece.text.split())
        )
    )
    return {"before_unit": before, "after_unit": after}


# -- reading the text --------------------------------------------------------------------------


MAX_SOURCE_BYTES = 50 * 1024 * 1024  # a directive of a thousand annexes is a few MB


def published_lines(path: Path) -> list[str]:
    """The lines of a published directive: register text without its metadata tables, or a DOCX's
    paragraphs and table rows in order (a row's cells one after the other)."""
    if path.stat().st_size > MAX_SOURCE_BYTES:
        raise JdgenError.at(
            str(path),
            f"the file is too large ({path.stat().st_size // 1024 // 1024} MB)",
            hint=f"import directives one by one; the limit is {MAX_SOURCE_BYTES // 1024 // 1024} MB",
        )
    if path.suffix.lower() == ".docx":
        try:
            body = docx.Document(str(path)).element.body
        except Exception as exc:  # python-docx raises several kinds for a file that is not a .docx
            raise JdgenError.at(str(path), f"not a readable .docx ({exc})", hint="save it as .docx") from None
        lines = []
        for block in body.iterchildren():
            if block.tag == qn("w:p"):
                lines.append(text_of(block))
            elif block.tag == qn("w:tbl"):
                for row in block.iter(qn("w:tr")):
                    cells = [[text_of(p) for p in cell.iter(qn("w:p"))] for cell in row.iter(qn("w:tc"))]
                    first = " ".join(t for t in cells[0] if t) if cells else ""
                    values = [t for cell in cells[1:] for t in cell if t]
                    if _task_row(first) or not values:
                        lines += [first, *values]  # a task, then its results one by one
                    else:
                        lines.append(" ".join([first, *values]))  # a label and its value, all of it
        return [line for line in (" ".join(line.split()) for line in lines) if line]
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise JdgenError.at(
            str(path), f"cannot read the file ({exc})", hint="give a UTF-8 .txt or a .docx"
        ) from None
    return [
        " ".join(line.split())
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("|")
    ]


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
            raise NotPublished(f"it holds template tags ({shown}), so it is a template")


def _task_row(first_cell: str) -> bool:
    """A task's cell: a sentence ("2.1. Päringutele … vastamine."); a label ("4.1. Haridus") does
    not end with a full stop."""
    return first_cell.endswith(".")


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
    listed: list[tuple[int, dict[str, str]]] = field(
        default_factory=list
    )  # point 1's annexes: number, values


def read_published(
    lines: list[str], phrases: Phrases, layout: AnnexLayout, organisation: Any, *, whole_cells: bool = False
) -> PublishedDirective:
    """The directive's body and annexes from the lines of its published text (`whole_cells`: a
    DOCX's, each table cell on one line)."""
    starts = [i for i, line in enumerate(lines) if line.split()[:1] == [phrases.annex_header]]
    approving = phrases.approve and any(f" {phrases.approve} " in f" {line} " for line in lines)
    if not starts and not approving:  # a single job description
        first = next((i for i, line in enumerate(lines) if line.split()[:1] == [phrases.annex_title]), None)
        if first is None:
            raise NotPublished(
                f"found neither an annex header ({phrases.annex_header} …) nor a job description's "
                f"title ({phrases.annex_title})"
            )
        only = read_annex(lines[first:], layout, None, phrases.annex_title, whole_cells=whole_cells)
        return PublishedDirective(None, None, None, None, [], [], None, [only])
    body = lines[: starts[0]] if starts else lines  # without annexes: the directive's page alone
    ends = [*starts[1:], len(lines)] if starts else []
    annexes = [_annex(lines[a:b], layout, phrases, whole_cells) for a, b in zip(starts, ends, strict=True)]
    for annex in annexes:  # the outer unit, where the header prints it ("TEEHOIUTEENISTUS")
        if phrases.outer_unit_line is not None and len(annex.header) > phrases.outer_unit_line:
            outer = annex.header[phrases.outer_unit_line]  # counted from the top: the lines below may wrap
            annex.outer_unit = outer.lower() if outer.isupper() else outer
    read = _directive(body, phrases, organisation, annexes)
    for index, annex in enumerate(annexes, 1):
        annex.number = annex.number or index  # a header without its number: the annexes' order
    units = [g for annex in annexes if (g := genitive(annex.fields.get("unit", "")))]
    listed = {number: _stub_fields(_unit_and_title(values, units)) for number, values in read.listed}
    for annex in annexes:  # a header with no body under it: a stub to fill in
        if not annex.fields and not annex.tasks and annex.number in listed:
            annex.fields, annex.stub = listed[annex.number], True
    found = {annex.number for annex in annexes}
    for number, fields in listed.items():  # listed in point 1, no body in the text: a stub to fill in
        if number not in found:
            read.annexes.append(PublishedAnnex(number, fields, stub=True))
    read.annexes.sort(key=lambda annex: annex.number or 0)
    return read


def _directive(
    body: list[str], phrases: Phrases, organisation: Any, annexes: list[PublishedAnnex]
) -> PublishedDirective:
    text = " ".join(body)
    number = date = title = None
    heading = re.search(rf"(\d{{2}}\.\d{{2}}\.\d{{4}}) {re.escape(phrases.number_word)} (\S+)", text)
    rest = text
    if heading:
        date = dt.datetime.strptime(heading.group(1), "%d.%m.%Y").date()
        number = heading.group(2)
        rest = text[heading.end() :].strip()
    # found with any quote style (one character for one, so the places are the same), kept as written
    basis = _plain_quotes(" ".join(organisation.legal_basis.split()))
    if basis in _plain_quotes(rest):
        at = _plain_quotes(rest).index(basis)
        title, rest = rest[:at].strip(), rest[at + len(basis) :]
    # what follows the points: the right of appeal, the signature
    for end in (" ".join(organisation.appeal or []), phrases.signed):
        end = _plain_quotes(" ".join((end or "").split()))
        if end and end in _plain_quotes(rest):
            rest = rest[: _plain_quotes(rest).index(end)]
    read = PublishedDirective(number, date, title, None, [], [], None, annexes)
    _read_points(read, _points(rest), phrases, organisation)
    return read


def _read_points(read: PublishedDirective, points: list[str], phrases: Phrases, organisation: Any) -> None:
    """Each point by its opening words: the approval (with its list of annexes), the repeal (its
    acts as data), the entry into force (its dates); any other point is kept as written where it
    stood."""
    last_known = "approve"
    for number, text in enumerate(points, 1):
        if phrases.approve and text.startswith(phrases.approve + " "):
            read.unit_genitive = _unit_genitive(text[len(phrases.approve) :].strip(), phrases, organisation)
            read.listed = _listed(text, phrases)
            last_known = "approve"
        elif (
            phrases.repeal
            and text.startswith(phrases.repeal)
            and (
                cited := read_repeals(text[len(phrases.repeal) :], phrases.number_word, organisation.wording)
            )
        ):
            read.repeals += cited
            last_known = "repeal"
        elif phrases.in_force and text.startswith(phrases.in_force):
            read.in_force = _long_date(text, long_date_adessive)
            read.applies_from = _long_date(text, long_date_elative)
            last_known = "in_force"
        else:  # a point of no known kind: kept as it is, as a further point where it stood
            after = last_known if last_known != "repeal" else None
            read.extra_points.append({"text": text, "after": after} if after else text)
            read.kept_as_text.append(number)


# The genitive endings of the words that name a unit ("osakonna", "talituse", "grupi", "büroo").
_UNIT_ENDINGS = ("konna", "use", "grupi", "büroo")


def _unit_and_title(values: dict[str, str], units: list[str]) -> dict[str, str]:
    """Where an item prints a unit's genitive right before the title's, the pattern cannot tell
    where one ends: at a unit the text names elsewhere, else after the last word that ends like a
    unit's name ("Arendamise osakonna | vanem spetsialisti")."""
    if "unit_genitive" not in values or "title_genitive" not in values:
        return values
    words = f"{values['unit_genitive']} {values['title_genitive']}".split()
    known = [len(g.split()) for g in units if " ".join(words).lower().startswith(g.lower() + " ")]
    endings = [i + 1 for i, word in enumerate(words[:-1]) if word.lower().endswith(_UNIT_ENDINGS)]
    cut = max(known) if known else endings[-1] if endings else len(words) - 1
    return {**values, "unit_genitive": " ".join(words[:cut]), "title_genitive": " ".join(words[cut:])}


def _stub_fields(values: dict[str, str]) -> dict[str, str]:
    """What point 1's item says of an annex whose body the text lacks: its title and unit, in the
    nominative where the item prints them inflected."""
    fields: dict[str, str] = {}
    if "title_in_list" in values:  # the title as a sentence prints it: its capital back
        fields["title"] = values["title_in_list"][:1].upper() + values["title_in_list"][1:]
    elif "title" in values:
        fields["title"] = values["title"]
    elif "title_genitive" in values:
        fields["title"] = nominative(values["title_genitive"]) or values["title_genitive"]
        if genitive(fields["title"]) != values["title_genitive"]:
            fields["title_genitive"] = values["title_genitive"]
    if "unit" in values or "unit_genitive" in values:
        fields["unit"] = values.get("unit") or nominative(values["unit_genitive"]) or values["unit_genitive"]
    return fields


def _listed(text: str, phrases: Phrases) -> list[tuple[int, dict[str, str]]]:
    """The annexes point 1 lists: each one's number and the values its item prints."""
    if phrases.listed is None:
        return []
    found = []
    for match in re.finditer(phrases.listed, text):
        values = {k: v.strip() for k, v in match.groupdict().items() if v and k != "number"}
        for name in phrases.listed_capital:  # printed with a capital: the value's own first letter is unknown
            if name in values:
                values[name] = values[name][:1].lower() + values[name][1:]
        found.append((int(match.group("number")), values))
    return found


def _unit_genitive(text: str, phrases: Phrases, organisation: Any) -> str | None:
    """The unit's genitive in point 1, after the approving word: past the values the template prints
    before it (the agency's genitive, say), up to the first word the template prints after it."""
    for path in phrases.before_unit:
        value = (
            getattr(organisation, path[1], None) if path[:1] == ("organisation",) and len(path) == 2 else None
        )
        if isinstance(value, str) and text.startswith(value + " "):
            text = text[len(value) + 1 :]
    if not phrases.after_unit:  # the template does not print the unit's genitive in point 1
        return None
    found = re.match(r"(.+?)\s+(?:" + "|".join(map(re.escape, phrases.after_unit)) + r")\b", text)
    genitive = found.group(1) if found else None
    return genitive if genitive and not re.search(r"[:;()]|\d\.", genitive) else None


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


def _annex(lines: list[str], layout: AnnexLayout, phrases: Phrases, whole_cells: bool) -> PublishedAnnex:
    found = re.search(rf"\b{re.escape(phrases.annex_word)} (\d+)\b", " ".join(lines[:3]))
    number = int(found.group(1)) if found else None
    return read_annex(lines, layout, number, phrases.annex_title, whole_cells=whole_cells)
