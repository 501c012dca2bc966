"""The proof of an import: what `jdgen import` is about to write, built and read back, word for word
against the source.

`build_lines` builds the files in a scratch copy of the project with `build`'s own steps and checks
(`pipeline.make_directives`) and reads the DOCX back the way import reads a DOCX. `compare` sets
the source's words against the build's, part by part (the directive's body, each annex): the words
of the source the build lacks, with the source's line, the words the build adds, and the words it
has elsewhere (a PDF's columns read out of order). An annex that the source does not show is not
compared; in a stub (an annex the source shows only in part) what the build adds is no difference
where it is a placeholder or follows the page's end. A PDF's text also holds the page headers'
words and a table's heading row on every page (`Built.margins`).
"""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import docx
from docx.oxml.ns import qn

from .errors import Problem
from .folders import DIRECTIVES_DIR, ORGANISATION_FILE, POSITIONS_DIR
from .pipeline import BuildOptions, make_directives
from .project import Project
from .published import published_lines
from .skeleton import PLACEHOLDER
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


def build_lines(root: Path, template: str, files: dict[Path, str], directive: str) -> Built:
    """The DOCX that `build` makes of `directive` once `files` (absolute paths inside `root`, with
    their text) are written, read back; a `JdgenError` with what would stop the build."""
    with tempfile.TemporaryDirectory(prefix="jdgen-import-") as folder:
        scratch = Path(folder) / "project"
        scratch.mkdir()
        shutil.copy2(root / ORGANISATION_FILE, scratch / ORGANISATION_FILE)
        (scratch / template).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / template, scratch / template)
        if (root / POSITIONS_DIR).is_dir():
            shutil.copytree(root / POSITIONS_DIR, scratch / POSITIONS_DIR, symlinks=True)
        (scratch / DIRECTIVES_DIR).mkdir(exist_ok=True)
        for path, text in files.items():
            target = scratch / path.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, "utf-8")
        # build's own steps, with its checks (a JdgenError with every error that would stop it)
        made, _warnings = make_directives(Project(scratch), [directive], BuildOptions())
        built = Path(folder) / "built.docx"
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
