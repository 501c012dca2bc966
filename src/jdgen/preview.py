"""The live preview's state: each directive as it will be signed, the problems, what changed.

`check`, then `build`, read the project again (after a source was saved): the problems `jdgen
check` finds in the whole project; each valid directive built in memory as DOCX and PDF with the
LibreOffice the preview keeps running, its pages drawn as pictures (pypdfium2); and what changed in
it since the last commit, as `jdgen diff --since HEAD` says. A directive that does not build now
keeps its last good document, shown under its problems. Nothing is written: sources are read,
outputs stay in memory, and the server (`commands/serve`) hands out only these.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import gitrepo
from .errors import JdgenError, Problem
from .i18n import _
from .office import Office
from .pipeline import BuildOptions, Comparison, check_project, compare, make_directives
from .project import Project

PAGE_SCALE = 1.5  # pixels per PDF point of the page pictures (about 108 dpi)
_PDFIUM = threading.Lock()


@dataclass(frozen=True)
class Document:
    """One directive's files as built; its pages are drawn when first asked for (`picture`)."""

    docx: bytes
    pdf: bytes
    pages: int
    annexes: tuple[tuple[int, str, int], ...]  # (Lisa number, title, first page)
    _pictures: dict[int, bytes] = field(default_factory=dict, compare=False, repr=False)

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
    document: Document | None = None  # the last good one
    current: bool = False  # whether `document` was built from the sources as they are now
    changes: Comparison | None = None
    changes_problem: str = ""  # why the changes could not be said (no git, a new file, …)
    valid: bool = False  # whether the directive's own file is valid now

    @property
    def stem(self) -> str:
        return Path(self.rel).stem


@dataclass
class State:
    version: int = 0
    problems: list[Problem] = field(default_factory=list)
    directives: dict[str, Entry] = field(default_factory=dict)  # stem -> entry
    units: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)  # unit -> (file, title)
    building: bool = False  # the documents are being made again (the problems are the new ones)


def check(root: Path, state: State) -> State:
    """The project's problems now, its directives and units, in a second or so: the documents are
    still the last ones (`building`), until `build` has made them again."""
    project = Project(root)
    names = [*project.directive_files(), *project.position_files()]
    problems = check_project(project, names, whole_project=True)
    entries: dict[str, Entry] = {}
    for rel in project.directive_files():
        before = state.directives.get(Path(rel).stem)  # a new entry: pages show the state they have
        entry = replace(before, rel=rel) if before else Entry(rel)
        directive = project.directive(rel)
        entry.valid = directive is not None
        if directive is not None:
            entry.title, entry.label = directive.title, directive.label
            entry.annex_count = len(directive.annexes)
        entries[entry.stem] = entry
    return State(state.version + 1, problems, entries, _units(project), building=True)


def build(root: Path, state: State, office: Office) -> State:
    """`state` with each valid directive built again (the last good document kept where it fails)."""
    entries: dict[str, Entry] = {}
    for stem, before in state.directives.items():
        entry = replace(before, current=False)
        if entry.valid:
            built = _built(root, entry.rel, office)
            entry.document, entry.current = built or entry.document, built is not None
            entry.changes, entry.changes_problem = _changes(root, entry.rel)
        entries[stem] = entry
    return State(state.version + 1, state.problems, entries, state.units, building=False)


def _built(root: Path, rel: str, office: Office) -> Document | None:
    """The directive built now, or None where it does not build (its problems are shown)."""
    try:
        made, _warnings = make_directives(Project(root), [rel], BuildOptions(pdf=True), office=office)
    except JdgenError:
        return None
    _sources, files, summary = made[0]
    annexes = tuple((a.number, a.title, a.page) for a in summary.annexes) if summary else ()
    pages = summary.pages if summary else 0
    return Document(files[".docx"], files[".pdf"], pages, annexes)


def page_picture(pdf: bytes, number: int) -> bytes:
    """Page `number` (from 1) of the PDF as a PNG picture (one at a time: PDFium is not
    thread-safe, and the browser asks for many pages at once)."""
    import pypdfium2  # only the preview draws pages

    with _PDFIUM:
        document = pypdfium2.PdfDocument(pdf)
        try:
            image = document[number - 1].render(scale=PAGE_SCALE).to_pil()
            buffer = io.BytesIO()
            image.save(buffer, format="PNG", optimize=False)
            return buffer.getvalue()
        finally:
            document.close()


def _changes(root: Path, rel: str) -> tuple[Comparison | None, str]:
    """What changed in the directive since the last commit, or why that cannot be said."""
    if not gitrepo.is_repository(root):
        return None, _("the project is not in git: there is no last commit to compare with")
    try:
        return compare(Project(root), f"HEAD:{rel}", str(root / rel)), ""
    except JdgenError as exc:
        if exc.problems:
            return None, _("the directive or a file of it is not valid now or at the last commit")
        return None, _("the directive could not be compared")
    except Exception as exc:  # a directive new since the commit, a repository without commits
        return None, _("no comparison with the last commit ({problem})").format(problem=exc)


def _units(project: Project) -> list[tuple[str, list[tuple[str, str]]]]:
    """The units with their positions (file, title), in the order of their files."""
    units: dict[str, list[tuple[str, str]]] = {}
    for rel in project.position_files():
        _folder, unit = project.unit_of(rel)
        position = project.position(rel)
        title = position.title if position is not None else _("(not valid: see the problems)")
        units.setdefault(unit.name if unit is not None else _("(no unit)"), []).append((rel, title))
    return list(units.items())
