"""The proof of an import: what `jdgen import` is about to write, built and read back, word for word
against the source.

`Scratch` builds the files in a copy of the project with `build`'s own steps and checks
(`pipeline.make_directives`) and reads the DOCX back the way import reads a DOCX. `compare` sets
the source's words against the build's, part by part (the directive's body, each annex): the words
of the source the build lacks, with the source's line, the words the build adds, and the words it
has elsewhere (a PDF's columns read out of order). An annex that the source does not show is not
compared; in a stub (an annex the source shows only in part) what the build adds is no difference
where it is a placeholder or follows the page's end. A PDF's text also holds the page headers'
words and a table's heading row on every page (`Built.margins`).
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import docx
from docx.oxml.ns import qn

from ..document import wordings
from ..errors import JdgenError, Problem
from ..format.folders import DIRECTIVES_DIR, ORGANISATION_FILE, POSITIONS_DIR, UNIT_FILE
from ..format.model import Shape
from ..i18n import _
from ..project.files import Project
from ..project.pipeline import BuildOptions, make_directives
from . import imported, published
from .skeleton import PLACEHOLDER
from .sourcetext import published_lines
from .textdiff import word_opcodes


@dataclass(frozen=True)
class SourceLine:
    """A line of the source as import read it, with its line number in the file (None in a DOCX)."""

    number: int | None
    text: str


@dataclass(frozen=True)
class Gap:
    """Where the build and the source part: the source's words that the build lacks there (with the
    source's line) and the words the build has instead."""

    line: int | None
    missing: str
    added: str
    part: str  # "the directive", "Lisa 3"
    spare: bool = False  # what the build adds here is a stub's to add: no difference, unless moved


@dataclass
class Proof:
    """How much of the source the build says, and where it says something else."""

    total: int = 0
    reproduced: int = 0
    gaps: list[Gap] = field(default_factory=list)
    moved: list[Gap] = field(default_factory=list)  # the same words, elsewhere in the build
    problems: list[Problem] = field(default_factory=list)  # the files written would not build
    unread: list[str] = field(default_factory=list)  # what the words say and the data does not
    moves_count: bool = False  # moved words are differences (a DOCX has no columns to read out of order)

    @property
    def holds(self) -> bool:
        return (
            not self.gaps and not self.problems and not self.unread and not (self.moves_count and self.moved)
        )

    def add(self, other: Proof) -> None:
        self.total += other.total
        self.reproduced += other.reproduced
        self.gaps += other.gaps
        self.moved += other.moved


@dataclass(frozen=True)
class Part:
    """One part to compare: the source's lines, the build's, and whether the build may add words
    (a stub's placeholders)."""

    name: str
    source: list[SourceLine]
    built: list[str]
    may_add: bool = False
    margins: frozenset[str] = frozenset()  # the build's page headers' words: a PDF's text has them
    cut: bool = False  # the source ends inside this part (a register page shows the start of it)


def compare(parts: list[Part]) -> Proof:
    proof = Proof()
    for part in parts:
        proof.add(_compare(part))
    _find_moves(proof)
    return proof


def _compare(part: Part) -> Proof:
    words: list[str] = []
    numbers: list[int | None] = []
    for line in part.source:
        for word in line.text.split():
            words.append(word)
            numbers.append(line.number)
    built = [word for line in part.built for word in line.split()]
    proof = Proof(total=len(words))
    opcodes = list(word_opcodes(words, built))
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            proof.reproduced += i2 - i1
            continue
        if (
            part.cut
            and i2 == len(words)
            and i2 - i1 == 1
            and built[j1:j2][:1]
            and built[j1].startswith(words[i1])
        ):
            proof.reproduced += 1  # the page ends inside this word ("käskkirj" of "käskkirjaga")
            continue
        if j1 == j2 and all(word in part.margins for word in words[i1:i2]):
            proof.reproduced += i2 - i1  # a page header's words in a PDF's text (the letterhead)
            continue
        missing, added = " ".join(words[i1:i2]), " ".join(built[j1:j2])
        at = numbers[i1] if i1 < len(numbers) else numbers[-1] if numbers else None
        # a stub's additions are no difference where they are its placeholders ("…") or what follows
        # the page's end; elsewhere the build says something the page does not
        spare = part.may_add and (i1 == len(words) or PLACEHOLDER in built[j1:j2])
        proof.gaps.append(Gap(at, missing, added, part.name, spare=spare))
    return proof


def _find_moves(proof: Proof) -> None:
    """Words the build lacks in one place and adds in another, the same words: moved, not lost."""
    added = Counter(gap.added for gap in proof.gaps if gap.added and not gap.missing)
    kept = []
    for gap in proof.gaps:
        if gap.missing and not gap.added and added[gap.missing] > 0:
            added[gap.missing] -= 1
            proof.moved.append(gap)
            proof.reproduced += len(gap.missing.split())
        else:
            kept.append(gap)
    moved = Counter(gap.missing for gap in proof.moved)
    proof.gaps = []
    for gap in kept:
        if gap.added and not gap.missing and moved[gap.added] > 0:
            moved[gap.added] -= 1
            continue
        if gap.spare and not gap.missing:
            continue
        proof.gaps.append(replace(gap, added="") if gap.spare else gap)


# -- building in a scratch copy of the project --------------------------------------------------


@dataclass(frozen=True)
class Built:
    """The build read back: the lines of its body, and the words of its page headers and footers
    (a letterhead, a draft's marking), which a PDF's text has among the body's."""

    lines: list[str]
    margins: frozenset[str]


class Scratch:
    """A copy of the project's organisation.yaml, template and positions/, made once, in which the
    files import would write are built (again, after each change to them) with `build`'s own steps."""

    def __init__(self, root: Path, template: str) -> None:
        self.root, self.template = root, template
        self.written: set[Path] = set()

    def __enter__(self) -> Scratch:
        self._folder = tempfile.TemporaryDirectory(prefix="jdgen-import-")
        self.project = Path(self._folder.name) / "project"
        self.project.mkdir()
        shutil.copy2(self.root / ORGANISATION_FILE, self.project / ORGANISATION_FILE)
        (self.project / self.template).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(self.root / self.template, self.project / self.template)
        if (self.root / POSITIONS_DIR).is_dir():
            shutil.copytree(self.root / POSITIONS_DIR, self.project / POSITIONS_DIR, symlinks=True)
        (self.project / DIRECTIVES_DIR).mkdir(exist_ok=True)
        return self

    def __exit__(self, *_exc: object) -> None:
        self._folder.cleanup()

    def build(self, files: dict[Path, str], directive: str) -> Built:
        """The DOCX that `build` makes of `directive` once `files` (absolute paths inside the
        project, with their text) are written, read back; a `JdgenError` with what would stop it."""
        for path in self.written - files.keys():  # written for an earlier build: as the project has it
            target = self.project / path.relative_to(self.root)
            if path.is_file():
                shutil.copy2(path, target)
            else:
                target.unlink(missing_ok=True)
        for path, text in files.items():
            target = self.project / path.relative_to(self.root)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, "utf-8")
        self.written = set(files)
        # build's own steps, with its checks (a JdgenError with every error that would stop it)
        made, _warnings = make_directives(Project(self.project), [directive], BuildOptions())
        built = Path(self._folder.name) / "built.docx"
        built.write_bytes(made[0][1][".docx"])
        return Built(published_lines(built), _margins(built))


def _margins(path: Path) -> frozenset[str]:
    """The words a PDF's text repeats outside the body's flow: page headers and footers, and the
    heading rows a table repeats on every page it runs onto."""
    document = docx.Document(str(path))
    words: set[str] = set()
    for section in document.sections:
        for part in (section.header, section.first_page_header, section.footer, section.first_page_footer):
            words.update(word for paragraph in part.paragraphs for word in paragraph.text.split())
    for row in document.element.body.iter(qn("w:tr")):
        if row.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None:
            words.update(" ".join(t.text or "" for t in row.iter(qn("w:t"))).split())
    return frozenset(words)


# -- proving an import: build, compare, and say what the source says otherwise ---------------------


class Proving:
    """Builds what import would write and compares it with the source; where a point of the body
    differs, tries the source's wording as data, then the source's own words for that point."""

    def __init__(
        self,
        root: Path,
        organisation,
        phrases,
        source: list[SourceLine],
        read,
        unit_dir: str,
        layout,
        kind: str,
    ):
        self.root, self.organisation, self.phrases = root, organisation, phrases
        self.source, self.read, self.unit_dir, self.layout = source, read, unit_dir, layout
        self.kind = kind  # the source's suffix: ".txt", ".docx", ".pdf"
        self.wording_of: dict[str, set[str]] = {}  # the wording read from each point

    def prove(self, files_of) -> tuple[dict[Path, str], imported.Writer, Proof]:
        files, writer = files_of()
        try:
            with Scratch(self.root, self.organisation.template) as scratch:
                built = self._build(files, scratch)
                for step in (self._as_wording, self._as_own_words) if self.read.points else ():
                    if step(built.lines):
                        files, writer = files_of()
                        built = self._build(files, scratch)
        except JdgenError as exc:
            return files, writer, Proof(problems=exc.problems)
        found = compare(self._parts(built))
        found.moves_count = self.kind == ".docx"  # a DOCX has no columns to read out of order
        found.unread = self._unread_dates() + self._runs_into_labels()
        return files, writer, found

    def _unread_dates(self) -> list[str]:
        """A point printed in its own words whose dates were not read as data: the words would say one
        day, the data (which check and the register use) none or another."""
        text = self.read.own_words.get("in_force")
        if text is None:
            return []
        years = re.findall(r"(?<!\d)(?:19|20)\d{2}(?!\d)", text)
        read = sum(day is not None for day in (self.read.in_force, self.read.applies_from))
        if len(years) <= read:
            return []
        said = _(
            "the point of entry into force is printed in its own words, but not every date in it was read "
            "as data (in_force, applies_from): «{text}» — write the dates into the directive by hand"
        )
        return [said.format(text=shortened(text))]

    def _runs_into_labels(self) -> list[str]:
        """A one-line value of the general part that holds another row's label ("Talituse juhataja
        Alluvad -"): two rows read as one, which the words alone cannot show."""
        found = []
        labels = {label: name for name, label in self.layout.labels.items()}
        one_line = {name for name, part in imported.POSITION_PARTS.items() if part.shape is Shape.TEXT}
        for annex in self.read.annexes:
            for name, value in annex.fields.items():
                if name not in one_line:
                    continue
                inside = next(
                    (
                        lab
                        for lab in labels
                        if labels[lab] != name and re.search(rf"(^|\s){re.escape(lab)}(\s|$)", value)
                    ),
                    None,
                )
                if inside is not None:
                    said = _("Lisa {number}: the value of {name} «{value}» runs into the row «{label}»")
                    found.append(
                        said.format(number=annex.number, name=name, value=shortened(value), label=inside)
                    )
        return found

    def _build(self, files: dict[Path, str], scratch: Scratch) -> Built:
        directive = next((p for p in files if p.relative_to(self.root).parts[:1] == (DIRECTIVES_DIR,)), None)
        if directive is None:  # a job description alone: a draft directive of it, in the scratch copy only
            names = [p.relative_to(self.root).as_posix() for p in files if p.name != UNIT_FILE]
            directive = self.root / DIRECTIVES_DIR / "jdgen-import-proof.yaml"
            files = {**files, directive: imported.directive_yaml(self.read, self.unit_dir, names)}
        rel = directive.relative_to(self.root).as_posix()
        return scratch.build(files, rel)

    def _body(self, lines: list[str]) -> list[str]:
        starts = published.annex_starts(lines, self.phrases)
        return lines[: starts[0]] if starts else lines

    def _point_pairs(self, built: list[str]):
        """Each point the template words (approve, repeal, in force): the source's text, the build's."""
        printed = published.body_points(self._body(built), self.phrases, self.organisation)
        if len(printed) != len(self.read.points):
            return
        for (kind, text), again in zip(self.read.points, printed, strict=True):
            if kind is not None and text.split() != again.split():
                yield kind, text, again

    def _as_wording(self, built: list[str]) -> bool:
        approve = next((n for n, (kind, _) in enumerate(self.read.points, 1) if kind == "approve"), 1)
        found: dict = {}
        for kind, text, again in self._point_pairs(built):
            if kind == "in_force" and self.phrases.in_force:
                text, again = (t.removeprefix(self.phrases.in_force) for t in (text, again))
            differs = wordings.differences(
                kind, text, again, number=approve, issuer=self.organisation.issuer_genitive
            )
            self.wording_of.setdefault(kind, set()).update(differs)
            found |= differs
        found = {k: v for k, v in found.items() if self.read.wording.get(k) != v}
        self.read.wording |= found
        return bool(found)

    def _as_own_words(self, built: list[str]) -> bool:
        changed = False
        for kind, text, _again in self._point_pairs(built):
            if self.read.own_words.get(kind) != text:  # point 1 with its items, where it has them
                self.read.own_words[kind] = text
                for key in self.wording_of.get(kind, ()):  # what the point's words said, which did not help
                    self.read.wording.pop(key, None)
                changed = True
        return changed

    def _parts(self, build: Built) -> list[Part]:
        """The body and each annex the source shows, the source's lines against the build's."""
        built = build.lines
        starts = published.annex_starts(built, self.phrases)
        segments = [built[a:b] for a, b in zip(starts, [*starts[1:], len(built)], strict=False)]
        parts = []
        first = min((a.span[0] for a in self.read.annexes if a.span), default=len(self.source))
        if first > 0:
            parts.append(
                Part(_("the directive"), self.source[:first], built[: starts[0]] if starts else built)
            )
        for annex, segment in zip(self.read.annexes, segments, strict=False):
            if annex.span is None:
                continue
            lines = self.source[annex.span[0] : annex.span[1]]
            if lines and not self.phrases.starts_annex(lines[0].text):
                title = next((i for i, t in enumerate(segment) if self.phrases.is_title(t)), 0)
                segment = segment[title:]  # a job description alone: from its title
            name = f"Lisa {annex.number}" if annex.number else _("the job description")
            parts.append(Part(name, lines, segment, may_add=annex.stub))
        if self.kind == ".pdf":  # a PDF's text has its page headers and repeated table headings
            parts = [dataclasses.replace(part, margins=build.margins) for part in parts]
        if parts:  # the source may end inside the last part's last word
            parts[-1] = dataclasses.replace(parts[-1], cut=True)
        return parts


def shortened(words: str) -> str:
    """Words for a message: at most 200 characters of them."""
    return words if len(words) <= 200 else words[:200] + " …"
