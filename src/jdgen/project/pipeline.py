"""The whole job as library functions: check a project (`checking`), build its directives into files.

`build_directives` is what `jdgen build` calls, and any program can (a test does): it validates the named
directives (with the same checks as `check_files`), renders them, converts them to PDF and packs
them when asked, and writes every file of every directive together, never over a signed original.
Problems come back as a `JdgenError` carrying all of them; warnings come back with the result.
"""

from __future__ import annotations

import contextlib
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import progress
from ..document.render import render_directive
from ..errors import JdgenError, Problem
from ..format.assembled import DirectiveSources
from ..format.model import Directive
from ..i18n import _, n_
from ..output import Outputs, code_mark, display_path, make_rule
from ..pdf.signed import refuse_signed
from . import forks
from .assembly import Uses
from .checking import DIRECTIVES_PER_FORK, check_files, review_directives
from .files import Project

if TYPE_CHECKING:  # imported only where used: LibreOffice and pypdf for a PDF, changes for a diff
    from ..pdf.office import Office
    from ..pdf.package import PdfSummary


@dataclass(frozen=True)
class BuildOptions:
    """What to make besides the DOCX, and how."""

    pdf: bool = False
    pdfa: bool = False  # PDF/A-2b; implies pdf
    container: bool = False  # the PDF/A in an unsigned ASiC-E container: what is signed is archived
    with_docx: bool = False  # the DOCX in the container too; implies container
    depfile: bool = False  # NAME.d: the files each directive was built from, for make
    force: bool = False  # overwrite a signed original
    timeout: float = 300  # seconds for LibreOffice

    @property
    def archival(self) -> bool:
        """Whether the PDF is PDF/A-2b: asked for, or to be signed (a signed PDF cannot be converted)."""
        return self.pdfa or ".asice" in self.suffixes

    @property
    def suffixes(self) -> list[str]:
        """The files of each directive, by suffix (the `.d` file aside)."""
        container = self.container or self.with_docx
        pdf = self.pdf or self.pdfa or container
        return [".docx", *[".pdf"] * pdf, *[".asice"] * container]


@dataclass(frozen=True)
class BuiltDirective:
    """One directive's files as written: path -> whether its content changed; the PDF's pages."""

    path: str  # the directive's file
    directive: Directive
    annexes: int
    files: dict[Path, bool]
    summary: PdfSummary | None = None  # when a PDF was made

    @property
    def updated(self) -> bool:
        return any(self.files.values())


@dataclass(frozen=True)
class Build:
    directives: list[BuiltDirective]
    warnings: list[Problem]


def build_directives(
    project: Project, names: list[str], output: Path, options: BuildOptions, *, whole_project: bool = False
) -> Build:
    """Build the named directives into `output`: all of their files, or none and a `JdgenError`.
    Each directive's files are staged as soon as they are made and their bytes let go, so that a
    build of a whole agency holds one directive at a time (a few, for LibreOffice); a file whose
    bytes would not change is left as it is."""
    if not options.force:
        refuse_signed(
            [output / f"{Path(name).stem}{suffix}" for name in names for suffix in options.suffixes]
        )
    workers = min(forks.cores(), len(names) // DIRECTIVES_PER_FORK)
    if ".pdf" not in options.suffixes and not whole_project and workers > 1 and forks.can_fork():
        with Outputs() as staged:
            built, problems = _built_in_parts(staged, output, project, forks.chunks(names, workers), options)
            staged.commit()
        return Build(built, problems)
    # LibreOffice starts now, while the directives are read and rendered (see office.Office).
    with _office() if ".pdf" in options.suffixes else contextlib.nullcontext() as office:
        all_sources, problems = _checked(
            project, names, options, whole_project=whole_project, reviewing=whole_project
        )
        reviewing = (
            functools.partial(review_directives, project, all_sources) if not whole_project else _reviewed
        )
        with Outputs() as staged:
            try:  # the reviewer's checks on another core while the directives are made
                (said, reviewed), built = forks.alongside(
                    reviewing, lambda: _stage_all(staged, output, project, all_sources, options, office)
                )
            except JdgenError as exc:  # the template or LibreOffice: said with the warnings found
                said = reviewing()[0]
                raise JdgenError(sorted({*problems, *said, *exc.problems}, key=Problem.sort_key)) from None
            project.problems.extend(said)
            project.reviewed |= reviewed
            problems = sorted({*problems, *said}, key=Problem.sort_key)
            if any(not problem.warning for problem in said):
                raise JdgenError(problems)
            staged.commit()
    return Build(built, problems)


def _built_in_parts(
    staged: Outputs, output: Path, project: Project, parts: list[list[str]], options: BuildOptions
) -> tuple[list[BuiltDirective], list[Problem]]:
    """The named directives checked, made and staged part by part, each part in a forked process
    of its own (on every core): it reads only its directives' files, and lets each directive go
    once it is staged, so that memory stays flat in the number of directives. Any error of any
    part: nothing is written, every problem is said."""
    project.organisation()  # read once, before the children start

    def work(part: list[str]) -> tuple[list[tuple[Path, Path]], list[BuiltDirective], list[Problem]]:
        built, failed, uses = [], False, Uses(project, part)
        with Outputs() as own, forks.flat_memory() as let_go:
            for name in part:  # checked, made and released one by one; after an error, only checked
                try:
                    (sources,), _warnings = _checked(project, [name], options, whole_project=False)
                    if not failed:
                        made = _make(project, [sources], options, None, shown=part is parts[-1])
                        built.append(_stage(own, output, made[0], options.depfile))
                except JdgenError:  # its problems are in the project's
                    failed = True
                uses.done(name)
                let_go()
            return (
                ([] if failed else own.hand_over()),
                built,
                sorted(set(project.problems), key=Problem.sort_key),
            )

    built: list[BuiltDirective] = []
    problems: set[Problem] = set()
    for files, made, said in forks.in_forks(parts, work):
        staged.adopt(files)
        built += made
        problems.update(said)
    progress.clear()
    found = sorted(problems, key=Problem.sort_key)
    if any(not problem.warning for problem in found):
        raise JdgenError(found)
    return built, found


def make_directives(
    project: Project,
    names: list[str],
    options: BuildOptions,
    *,
    whole_project: bool = False,
    office: Office | None = None,
    drafts: dict[str, Directive] | None = None,
) -> tuple[list, list[Problem]]:
    """Every file of the named directives, in memory: [(sources, {suffix: bytes}, PDF summary)],
    and the warnings; or a `JdgenError` with every problem. A directive named in `drafts` is made
    as that model says (a draft of it). A PDF is made with `office`, a LibreOffice kept running by
    the caller, or one started for this call."""
    starting = _office() if ".pdf" in options.suffixes and office is None else contextlib.nullcontext(office)
    with starting as office:
        all_sources, problems = _checked(project, names, options, whole_project=whole_project, drafts=drafts)
        try:
            made = _make(project, all_sources, options, office)
        except JdgenError as exc:  # the template or LibreOffice: said with the warnings found
            raise JdgenError(sorted({*problems, *exc.problems}, key=Problem.sort_key)) from None
    return made, problems


def _checked(
    project: Project,
    names: list[str],
    options: BuildOptions,
    *,
    whole_project: bool,
    reviewing: bool = True,
    drafts: dict[str, Directive] | None = None,
) -> tuple[list[DirectiveSources], list[Problem]]:
    """The named directives checked as `check` would (without `reviewing`, all but what
    `review_directives` checks): their sources and the warnings, or a `JdgenError` with every problem."""
    all_sources = check_files(project, names, whole_project=whole_project, reviewing=reviewing, drafts=drafts)
    if ".asice" in options.suffixes and not options.force:
        project.problems.extend(_drafts_to_sign(project, all_sources))
    problems = sorted(set(project.problems), key=Problem.sort_key)
    if project.errors or any(s is None for s in all_sources.values()):
        raise JdgenError(problems)
    return [s for s in all_sources.values() if s is not None], problems


def _reviewed() -> tuple[list[Problem], set[str]]:
    """Nothing left to review: `check_files` reviewed the whole project."""
    return [], set()


def _drafts_to_sign(project: Project, all_sources: dict[str, DirectiveSources | None]) -> list[Problem]:
    """A draft (no number and date yet) is not packed for signature."""
    return [
        Problem(
            project.files.locate(name, ()),
            _("a draft (no number and date) is not packed for signature"),
            "",
            _("give it its number and date from the register, or build the container anyway with --force"),
        )
        for name, sources in all_sources.items()
        if sources is not None and sources.directive.is_draft
    ]


def _office():
    from ..pdf.office import Office  # imported only when a PDF is made

    return Office()


_CONVERTED_TOGETHER = 10  # directives LibreOffice converts at a time in a build: memory stays flat


def _stage_all(
    staged: Outputs,
    output: Path,
    project: Project,
    all_sources: list[DirectiveSources],
    options: BuildOptions,
    office: Office | None,
) -> list[BuiltDirective]:
    """Make each directive's files and stage them at once: in forked processes, one a core, where
    only DOCX are made (LibreOffice converts in its own process); a few at a time for PDF."""
    workers = min(forks.cores(), len(all_sources) // DIRECTIVES_PER_FORK)
    if office is None and workers > 1 and forks.can_fork():
        parts = forks.chunks(range(len(all_sources)), workers)
        built = []
        for files, made in forks.in_forks(parts, _stager(output, project, all_sources, options, parts[-1])):
            staged.adopt(files)
            built += made
        progress.clear()
        return built
    step = _CONVERTED_TOGETHER if office is not None else 1
    built = []
    with forks.flat_memory() as let_go:
        for start in range(0, len(all_sources), step):
            for one in _make(project, all_sources[start : start + step], options, office):
                built.append(_stage(staged, output, one, options.depfile))
            let_go()
    progress.clear()
    return built


def _stager(
    output: Path, project: Project, all_sources: list[DirectiveSources], options: BuildOptions, shown
):
    """The work of one forked process: its part of the directives made and staged, the staged
    files handed over to the parent (which commits them with all others), the files' changes."""

    def stage_part(part: list[int]) -> tuple[list[tuple[Path, Path]], list[BuiltDirective]]:
        with Outputs() as own, forks.flat_memory() as let_go:
            built = []
            for i in part:
                made = _make(project, [all_sources[i]], options, None, shown=part is shown)
                built.append(_stage(own, output, made[0], options.depfile))
                let_go()
            return own.hand_over(), built

    return stage_part


def _make(
    project: Project,
    all_sources: list[DirectiveSources],
    options: BuildOptions,
    office: Office | None,
    *,
    shown: bool = True,
) -> list:
    """The bytes of every file of every directive: (sources, {suffix: bytes}, PDF summary)."""
    documents = {}
    for sources in all_sources:
        if shown:
            progress.show(_("rendering {path}").format(path=sources.path))
        documents[sources.path] = render_directive(project.root, sources)
    if office is None:
        return [(sources, {".docx": documents[sources.path]}, None) for sources in all_sources]
    from ..pdf.office import convert_to_pdf
    from ..pdf.package import asice, container_name, finish_pdf

    stems = {Path(path).stem: data for path, data in documents.items()}
    what = n_(
        "LibreOffice: {count} document to PDF", "LibreOffice: {count} documents to PDF", len(stems)
    ).format(count=len(stems))
    with progress.step(what) as ticker:
        pdfs = convert_to_pdf(
            stems, pdfa=options.archival, timeout=options.timeout, office=office, tick=ticker.tick
        )
    made = []
    for sources in all_sources:
        stem = Path(sources.path).stem
        files = {".docx": documents[sources.path]}
        files[".pdf"], summary = finish_pdf(pdfs[stem], sources, seed=files[".docx"])
        if ".asice" in options.suffixes:
            name = container_name(sources)  # what the signer sees: "Käskkiri nr 177 – …"
            inside = {f"{name}.pdf": files[".pdf"]}
            if options.with_docx:
                inside[f"{name}.docx"] = files[".docx"]
            files[".asice"] = asice(inside)
        made.append((sources, files, summary))
    return made


def _stage(staged: Outputs, output: Path, made: tuple, depfile: bool) -> BuiltDirective:
    """Stage one directive's files whose bytes differ from those in `output` (its depfile always:
    it says when the directive was last brought up to date)."""
    sources, files, summary = made
    stem = Path(sources.path).stem
    paths = {output / f"{stem}{suffix}": data for suffix, data in files.items()}
    changed = {path: not path.is_file() or path.read_bytes() != data for path, data in paths.items()}
    for path, data in paths.items():
        if changed[path]:
            staged.stage(path, data)
    if depfile:
        targets = [display_path(path) for path in paths]
        rule = make_rule(targets, sorted({*sources.files, sources.organisation.template}), note=code_mark())
        staged.stage(output / f"{stem}.d", rule)
    return BuiltDirective(sources.path, sources.directive, len(sources.annexes), changed, summary)
