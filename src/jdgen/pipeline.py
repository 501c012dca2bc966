"""The whole job as library functions: check a project, build its directives into files.

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

from . import extras, forks, progress, review
from .errors import JdgenError, Problem
from .folders import kind_of
from .i18n import _, n_
from .impact import directives_using
from .layout import annex_layout
from .model import DirectiveSources
from .output import Outputs, code_mark, display_path, make_rule
from .project import ORGANISATION_FILE, Project
from .render import open_template, render_docx
from .signed import refuse_signed

if TYPE_CHECKING:  # imported only where used: LibreOffice and pypdf for a PDF, changes for a diff
    from .office import Office
    from .package import PdfSummary


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

    sources: DirectiveSources
    files: dict[Path, bool]
    summary: PdfSummary | None = None  # when a PDF was made

    @property
    def updated(self) -> bool:
        return any(self.files.values())


@dataclass(frozen=True)
class Build:
    directives: list[BuiltDirective]
    warnings: list[Problem]


def check_files(
    project: Project, names: list[str], *, whole_project: bool
) -> dict[str, DirectiveSources | None]:
    """Validate the named files (with `whole_project`, the checks of the whole project too),
    collecting every problem in `project.problems`; the directives among them, None where invalid.

    `check` and `build` both come through here, so a build prints the same warnings as a check."""
    project.organisation()
    # the positions first, all at once (on every core), rather than one by one as each directive asks
    named = [d for name in names if kind_of(name) == "directive" and (d := project.directive(name))]
    wanted = [Path(annex).as_posix() for directive in named for annex in directive.annexes]
    project.read_positions(project.position_files() if whole_project else wanted)
    directives: dict[str, DirectiveSources | None] = {}
    for name in names:
        kind = kind_of(name)
        if kind == "directive":
            directives[name] = sources = project.directive_sources(name)
            for annex in sources.annexes if sources else ():
                project.review_position(annex.path)
        elif kind == "position":
            project.review_position(name)
        elif kind == "unit":
            project.unit(name)
        else:
            project.files.read(name)
    if whole_project:
        for name in project.position_files():
            project.review_position(name)
        project.unused_includes()
        valid = {name: d for name in project.directive_files() if (d := project.directive(name)) is not None}
        project.problems.extend(review.duplicate_numbers(valid, project.files.locate))
    _template_agreement(project)
    return directives


def _template_agreement(project: Project) -> None:
    """What the template and the data disagree on: declared extras it does not print (or prints
    undeclared), values of the checked positions it never prints, genitives it prints that no rule
    derives and no file gives."""
    organisation = project.organisation()
    template = project.root / organisation.template if organisation is not None else None
    if organisation is None or template is None or not template.is_file():
        return  # the template's own problems are said where it is opened
    try:
        layout = annex_layout(template, template_name=organisation.template, organisation=organisation)
    except JdgenError:  # not a .docx: said where the template is opened
        return
    project.problems.extend(review.printed_whole(layout.printed_whole, organisation.template))
    locate = project.files.locator(ORGANISATION_FILE)
    project.problems.extend(
        extras.template_agreement(organisation, set(layout.paths), locate, organisation.template)
    )
    rule = organisation.review.task_results
    results_wanted = rule or (
        rule is None and layout.results
    )  # by default, where the template prints results
    units: set[str] = set()
    for name in sorted(project.reviewed):
        position = project.position(name)
        if position is None:
            continue
        locate = project.files.locator(name)
        project.problems.extend(review.unprinted(position, set(layout.printed), locate))
        if "title_genitive" in layout.printed:
            project.problems.extend(review.title_genitive(position, locate))
        if results_wanted:
            project.problems.extend(review.task_results(position, locate))
        units.update(project.unit_files(project.unit_of(name)[0]))
    for name in sorted(units) if layout.unit_genitive else ():
        unit = project.unit(name)
        if unit is not None:
            project.problems.extend(review.unit_genitive(unit, project.files.locator(name)))


def check_project(
    project: Project, names: list[str], *, whole_project: bool, rendered: int | None = None
) -> list[Problem]:
    """Every problem of the named files, the template rendered with each valid directive in memory
    (a misspelt name in the template is a problem too; `rendered`: with that many only), sorted.
    The renderings are a build's without its writing: on every core, each let go once done."""
    directives = check_files(project, names, whole_project=whole_project)
    organisation = project.organisation()
    every = [
        s for s in [*directives.values(), *_directives_using(project, names, directives)] if s is not None
    ][:rendered]
    workers = min(forks.cores(), len(every) // _DIRECTIVES_PER_FORK)
    parts = forks.chunks(every, workers) if workers > 1 else [every]
    for found in forks.in_forks(parts, functools.partial(_rendering_problems, project)):
        project.problems.extend(found)
    if organisation is not None and not directives:  # no directive to render with: open the template
        try:
            open_template(project.root / organisation.template, template_name=organisation.template)
        except JdgenError as exc:
            project.problems.extend(exc.problems)
    return sorted(set(project.problems), key=Problem.sort_key)


def _rendering_problems(project: Project, part: list[DirectiveSources]) -> list[Problem]:
    """What rendering the directives says of the template: nothing, or the first directive's
    problems (a wrong template is wrong for every directive)."""
    with forks.flat_memory() as let_go:
        for sources in part:
            try:
                _render(project, sources)
            except JdgenError as exc:
                return exc.problems
            let_go()
    return []


def _directives_using(project: Project, names: list[str], checked: dict) -> list[DirectiveSources | None]:
    """The valid directives that use the named files (other than those checked already): a check of
    a position renders it as its directive prints it. Read apart, so that their other files'
    problems stay out of this check."""
    apart = Project(project.root)
    return [
        apart.directive_sources(name) for name in directives_using(apart, set(names)) if name not in checked
    ]


def _render(project: Project, sources: DirectiveSources) -> bytes:
    template = sources.organisation.template
    return render_docx(project.root / template, sources, template_name=template)


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
    # LibreOffice starts now, while the directives are read and rendered (see office.Office).
    with _office() if ".pdf" in options.suffixes else contextlib.nullcontext() as office:
        all_sources, problems = _checked(project, names, options, whole_project=whole_project)
        with Outputs() as staged:
            try:
                built = _stage_all(staged, output, project, all_sources, options, office)
            except JdgenError as exc:  # the template or LibreOffice: said with the warnings found
                raise JdgenError(sorted({*problems, *exc.problems}, key=Problem.sort_key)) from None
            staged.commit()
    return Build(built, problems)


def make_directives(
    project: Project,
    names: list[str],
    options: BuildOptions,
    *,
    whole_project: bool = False,
    office: Office | None = None,
) -> tuple[list, list[Problem]]:
    """Every file of the named directives, in memory: [(sources, {suffix: bytes}, PDF summary)],
    and the warnings; or a `JdgenError` with every problem. A PDF is made with `office`, a
    LibreOffice kept running by the caller, or one started for this call."""
    starting = _office() if ".pdf" in options.suffixes and office is None else contextlib.nullcontext(office)
    with starting as office:
        all_sources, problems = _checked(project, names, options, whole_project=whole_project)
        try:
            made = _make(project, all_sources, options, office)
        except JdgenError as exc:  # the template or LibreOffice: said with the warnings found
            raise JdgenError(sorted({*problems, *exc.problems}, key=Problem.sort_key)) from None
    return made, problems


def _checked(
    project: Project, names: list[str], options: BuildOptions, *, whole_project: bool
) -> tuple[list[DirectiveSources], list[Problem]]:
    """The named directives checked as `check` would: their sources and the warnings, or a
    `JdgenError` with every problem."""
    all_sources = check_files(project, names, whole_project=whole_project)
    if ".asice" in options.suffixes and not options.force:
        project.problems.extend(_drafts_to_sign(project, all_sources))
    problems = sorted(set(project.problems), key=Problem.sort_key)
    if project.errors or any(s is None for s in all_sources.values()):
        raise JdgenError(problems)
    return [s for s in all_sources.values() if s is not None], problems


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
    from .office import Office  # imported only when a PDF is made

    return Office()


_CONVERTED_TOGETHER = 10  # directives LibreOffice converts at a time in a build: memory stays flat
_DIRECTIVES_PER_FORK = 4  # a forked process pays off from a few directives on


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
    workers = min(forks.cores(), len(all_sources) // _DIRECTIVES_PER_FORK)
    if office is None and workers > 1 and forks.can_fork():
        parts = forks.chunks(range(len(all_sources)), workers)
        built = []
        for part, (files, changed) in zip(
            parts,
            forks.in_forks(parts, _stager(output, project, all_sources, options, parts[-1])),
            strict=True,
        ):
            staged.adopt(files)
            built += [BuiltDirective(all_sources[i], flags) for i, flags in zip(part, changed, strict=True)]
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

    def stage_part(part: list[int]) -> tuple[list[tuple[Path, Path]], list[dict[Path, bool]]]:
        with Outputs() as own, forks.flat_memory() as let_go:
            changed = []
            for i in part:
                made = _make(project, [all_sources[i]], options, None, shown=part is shown)
                changed.append(_stage(own, output, made[0], options.depfile).files)
                let_go()
            return own.hand_over(), changed

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
        documents[sources.path] = _render(project, sources)
    if office is None:
        return [(sources, {".docx": documents[sources.path]}, None) for sources in all_sources]
    from .office import convert_to_pdf
    from .package import asice, container_name, finish_pdf

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
    return BuiltDirective(sources, changed, summary)
