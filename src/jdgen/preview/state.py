"""The live preview's state: each directive as it will be signed, the problems, what changed.

`survey` reads the project again (after a source was saved): the problems `jdgen check` finds in the
whole project, its directives and units, as plain data (`checker` runs it in a process of its own);
`merged` puts that into the preview's state, and `check` does both. Before it, `first_look` says at
once the problems of the files just saved (`at_first_look`). `build` makes the directive being
looked at, in memory as DOCX and PDF with the LibreOffice the preview keeps running, its pages drawn
as pictures (pypdfium2) when asked for, and what changed in it since the last commit, as `jdgen diff
--since HEAD` says, with each page's lines of text and where each change stands on them
(`pagetext`); `position_draft` lays one position out alone, as Lisa 1 of a draft of its directive.
The others wait until they are looked at, and only the last few looked at keep their documents
(`KEPT`), so that an agency's hundred directives cost what one does. A directive that does not build
now keeps its last good document, shown under its problems. Nothing is written: sources are read,
outputs stay in memory, and the server (`commands/serve`) hands out only these.
"""

from __future__ import annotations

import io
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..authoring.comparison import Comparison, compare
from ..errors import JdgenError, Problem
from ..format.folders import kind_of
from ..format.load import YAML_SUFFIXES
from ..format.model import Directive
from ..i18n import _
from ..pdf.office import Office
from ..project import gitrepo
from ..project.assembly import draft_of_one
from ..project.checking import check_files, check_project
from ..project.files import Project
from ..project.memo import Memo
from ..project.pipeline import BuildOptions, make_directives
from .pagetext import PDFIUM, Line, Places, change_places, page_lines

PAGE_SCALE = 1.5  # pixels per PDF point of the page pictures (about 108 dpi)


@dataclass(frozen=True)
class Document:
    """One directive's files as built; its pages are drawn when first asked for (`picture`), their
    lines of text read once (`lines`)."""

    docx: bytes
    pdf: bytes
    pages: int
    annexes: tuple[tuple[int, str, int], ...]  # (Lisa number, title, first page)
    _pictures: dict[int, bytes] = field(default_factory=dict, compare=False, repr=False)
    _lines: list[list[Line]] = field(default_factory=list, compare=False, repr=False)

    def lines(self) -> list[list[Line]]:
        """Each page's lines of text, where they stand (what the page's picture shows as words)."""
        if not self._lines:
            self._lines.extend(page_lines(self.pdf))
        return self._lines

    def picture(self, number: int) -> bytes:
        """Page `number` (from 1) as a PNG picture, drawn once."""
        if number not in self._pictures:
            self._pictures[number] = page_picture(self.pdf, number)
        return self._pictures[number]


@dataclass
class Entry:
    """A directive of the project as the preview shows it."""

    rel: str
    title: str = ""
    label: str = ""  # "nr 177 of 13.12.2024", or "draft"
    annex_count: int = 0
    document: Document | None = None  # the last good one (kept for the directives looked at last)
    current: bool = False  # whether `document` was built from the sources as they are now
    building: bool = False  # not yet made from the sources as they are now (made when looked at)
    changes: Comparison | None = None
    changes_problem: str = ""  # why the changes could not be said (no git, a new file, …)
    places: Places | None = None  # where on the document's pages each change is
    valid: bool = False  # whether the directive's own file is valid now
    problems: tuple[Problem, ...] = ()  # what its build said that the project's check does not

    @property
    def stem(self) -> str:
        return Path(self.rel).stem


@dataclass
class State:
    version: int = 0
    problems: list[Problem] = field(default_factory=list)
    directives: dict[str, Entry] = field(default_factory=dict)  # stem -> entry
    # unit -> (file, title, the directives that list it)
    units: list[tuple[str, list[tuple[str, str, tuple[str, ...]]]]] = field(default_factory=list)
    saved: tuple[str, ...] = ()  # files just saved, checked; the rest of the project being read again


@dataclass(frozen=True)
class PositionDraft:
    """One position laid out alone (`position_draft`), made after the `checked`-th reading."""

    checked: int
    document: Document | None = None
    directive: str = ""  # the directive whose draft it is laid out in
    problems: tuple[Problem, ...] = ()
    failed: bool = False  # jdgen itself failed (said in the terminal)


KEPT = 6  # the directives whose documents (PDF, pages drawn) the preview keeps: the last looked at
KEPT_POSITIONS = 3  # and the positions laid out alone
_MEMO = Memo()  # the valid positions of the last check: a save reads again what it changed, not all


@dataclass(frozen=True)
class Survey:
    """What one reading of the project says: its problems, each directive (file, title, label,
    annex count; None where its own file is not valid) and the units. Plain data, sent whole from
    the process that reads (`checker`)."""

    problems: list[Problem]
    directives: list[tuple[str, tuple[str, str, int] | None]]
    units: list[tuple[str, list[tuple[str, str, tuple[str, ...]]]]]


def survey(root: Path) -> Survey:
    """Read the project as `jdgen check` does; the positions that did not change since the last
    survey of this process are taken as they were (`Memo`)."""
    project = Project(root, memo=_MEMO)
    names = [*project.directive_files(), *project.position_files()]
    # the template rendered with one directive: the others are rendered when they are looked at
    problems = check_project(project, names, whole_project=True, rendered=1)
    _MEMO.prune(project.position_files())
    directives: list[tuple[str, tuple[str, str, int] | None]] = []
    for rel in project.directive_files():
        directive = project.directive(rel)
        said = (directive.title, directive.label, len(directive.annexes)) if directive else None
        directives.append((rel, said))
    return Survey(problems, directives, _units(project))


def merged(state: State, survey: Survey) -> State:
    """`state` with what `survey` found: each directive's document is still the last one
    (`building`), until `build` has made it again, when it is looked at."""
    entries: dict[str, Entry] = {}
    for rel, directive in survey.directives:
        before = state.directives.get(Path(rel).stem)  # a new entry: pages show the state they have
        entry = replace(before, rel=rel, current=False) if before else Entry(rel)
        entry.valid = entry.building = directive is not None
        if directive is not None:
            entry.title, entry.label, entry.annex_count = directive
        entries[entry.stem] = entry
    return State(state.version + 1, survey.problems, entries, survey.units)


def first_look(root: Path, files: list[str]) -> Survey:
    """The problems of the files just saved (project-relative), at once: each read and checked as
    `jdgen check FILE` does, a shared file through one position that includes it; what the save
    did to the rest of the project is said by the `survey` that follows."""
    project = Project(root, memo=_MEMO)
    names = [name for name in files if name.endswith(YAML_SUFFIXES) and (project.root / name).is_file()]
    through = [_MEMO.kept_using(name) for name in names if kind_of(name) == "include"]
    check_files(project, [*names, *(name for name in through if name)], whole_project=False)
    said = set(files)
    problems = sorted({p for p in project.problems if p.location.file in said}, key=Problem.sort_key)
    return Survey(problems, [], [])


def at_first_look(state: State, files: list[str], look: Survey) -> State:
    """`state` with the problems of the files just saved as `first_look` found them (theirs
    before let go), while the rest of the project is read again."""
    said = set(files)
    others = [problem for problem in state.problems if problem.location.file not in said]
    problems = together(others, look.problems)
    return State(state.version + 1, problems, state.directives, state.units, tuple(files))


def together(problems: Iterable[Problem], more: Iterable[Problem]) -> list[Problem]:
    """Two lists of problems as one, each said once, in the order `jdgen check` says them."""
    return sorted({*problems, *more}, key=Problem.sort_key)


def check(root: Path, state: State) -> State:
    """`state` after reading the project again, in this process."""
    return merged(state, survey(root))


def build(root: Path, entry: Entry, office: Office) -> Entry:
    """The directive of `entry` built again (its last good document kept where it fails), with
    what changed in it since the last commit."""
    built, problems = _built(Project(root), entry.rel, office)
    changes, problem = _changes(root, entry.rel)
    document = built or entry.document
    places = None
    if document is not None:
        lines = document.lines()  # read here, not in the server's loop when the page is asked for
        if changes is not None:
            starts = {number: page for number, _title, page in document.annexes}
            places = change_places(lines, starts, changes.changes)
    return replace(
        entry,
        document=document,
        problems=tuple(problems),
        current=built is not None,
        building=False,
        changes=changes,
        changes_problem=problem,
        places=places,
    )


def with_built(state: State, built: Entry, kept: list[str], *, current: bool) -> State:
    """`state` with a directive's new document (`current`: made from the sources `state` was
    checked from; else shown, and made again), and the documents of directives other than the
    `kept` ones let go: they are made again when looked at."""
    entries: dict[str, Entry] = {}
    for stem, before in state.directives.items():
        if stem == built.stem:
            entry = replace(built, valid=before.valid, title=before.title, label=before.label)
            if not current:
                entry.current, entry.building = False, before.valid
        elif stem not in kept and before.document is not None:
            entry = replace(
                before, document=None, changes=None, places=None, current=False, building=before.valid
            )
        else:
            entry = before
        entries[stem] = entry
    problems = together(state.problems, built.problems)  # the template's, say
    return State(state.version + 1, problems, entries, state.units)


def listed_position(state: State, rel: str) -> tuple[str, tuple[str, ...]] | None:
    """A position of the last reading: its title and the files of the directives that list it
    (as `_units` found them); None for a file that reading did not list as a position."""
    for _unit, positions in state.units:
        for file, title, listed in positions:
            if file == rel:
                return title, tuple(state.directives[s].rel for s in listed if s in state.directives)
    return None


def position_draft(
    root: Path, rel: str, office: Office, checked: int, listing: tuple[str, ...]
) -> PositionDraft:
    """The position `rel` alone, as Lisa 1 of a draft of the directive that lists it (the first of
    `listing`), else of one of its unit's, else of the project's first; no document and why where
    it does not build, no directive where the project has no valid directive to lay it out in."""
    project = Project(root)
    chosen = next(iter(listing), "")
    if not chosen:
        unit_dir, _unit = project.unit_of(rel)
        directives = [(name, d) for name in project.directive_files() if (d := project.directive(name))]
        of_unit = [name for name, d in directives if posixpath.normpath(d.unit) == unit_dir]
        chosen = next(iter([*of_unit, *(name for name, _d in directives)]), "")
    directive = project.directive(chosen) if chosen else None
    if directive is None:
        return PositionDraft(checked)
    document, problems = _built(project, chosen, office, draft=draft_of_one(directive, rel))
    if document is not None:
        document.lines()  # read here, not in the server's loop when the page is asked for
    return PositionDraft(checked, document, chosen, tuple(problems))


def _built(
    project: Project, rel: str, office: Office, *, draft: Directive | None = None
) -> tuple[Document | None, list[Problem]]:
    """The directive built now (as `draft` says, where given), or None and why where it does not build."""
    drafts = {rel: draft} if draft is not None else None
    try:
        made, _warnings = make_directives(
            project, [rel], BuildOptions(pdf=True), office=office, drafts=drafts
        )
    except JdgenError as exc:
        return None, [problem for problem in exc.problems if not problem.warning]
    _sources, files, summary = made[0]
    annexes = tuple((a.number, a.title, a.page) for a in summary.annexes) if summary else ()
    pages = summary.pages if summary else 0
    return Document(files[".docx"], files[".pdf"], pages, annexes), []


def page_picture(pdf: bytes, number: int) -> bytes:
    """Page `number` (from 1) of the PDF as a PNG picture (one at a time: PDFium is not
    thread-safe, and the browser asks for many pages at once)."""
    import pypdfium2  # only the preview draws pages

    with PDFIUM:
        document = pypdfium2.PdfDocument(pdf)
        try:
            image = document[number - 1].render(scale=PAGE_SCALE).to_pil()
            buffer = io.BytesIO()
            image.save(buffer, format="PNG", optimize=False)
            return buffer.getvalue()
        finally:
            document.close()


def _changes(root: Path, rel: str) -> tuple[Comparison | None, str]:
    """What changed in the directive since the last commit, or why that cannot be said (in HR's
    words: a version recorded, not git's)."""
    if not gitrepo.is_repository(root):
        return None, _("the project keeps no record of its versions: nothing earlier to compare with")
    try:
        return compare(Project(root), f"HEAD:{rel}", str(root / rel)), ""
    except JdgenError as exc:
        if exc.problems:
            return None, _("the directive or a file of it is not valid now or in the last recorded version")
        return None, _("the directive could not be compared")
    except Exception:  # a directive new since the commit, a repository without commits
        return None, _("no version of this directive was recorded yet: nothing earlier to compare with")


def _units(project: Project) -> list[tuple[str, list[tuple[str, str, tuple[str, ...]]]]]:
    """The units with their positions (file, title, the stems of the directives that list it: none
    for a new position no directive approves yet), in the order of their files."""
    listing: dict[str, list[str]] = {}
    for name in project.directive_files():
        directive = project.directive(name)
        for annex in directive.annexes if directive is not None else ():
            listing.setdefault(posixpath.normpath(annex), []).append(Path(name).stem)
    units: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {}
    for rel in project.position_files():
        _folder, unit = project.unit_of(rel)
        position = project.position(rel)
        title = position.title if position is not None else _("(not valid: see the problems)")
        entry = (rel, title, tuple(listing.get(rel, ())))
        units.setdefault(unit.name if unit is not None else _("(no unit)"), []).append(entry)
    return list(units.items())
