"""The whole job as library functions: check a project, build its directives into files.

`build_directives` is what `jdgen build` calls, and any program can (a test does): it validates the named
directives (with the same checks as `check_files`), renders them, converts them to PDF and packs
them when asked, and writes every file of every directive together, never over a signed original.
Problems come back as a `JdgenError` carrying all of them; warnings come back with the result.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import extras, progress, review
from .agency import Organisation
from .errors import JdgenError, Problem, UsageError
from .folders import kind_of
from .i18n import _, n_
from .impact import directives_using
from .layout import AnnexLayout, annex_layout
from .model import DirectiveSources
from .output import Outputs, display_path, make_rule
from .project import ORGANISATION_FILE, Project
from .render import open_template, render_docx
from .signed import refuse_signed

if TYPE_CHECKING:  # imported only where used: LibreOffice and pypdf for a PDF, changes for a diff
    from . import changes
    from .changes import Change
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
        project.read_positions(project.position_files())
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


def check_project(project: Project, names: list[str], *, whole_project: bool) -> list[Problem]:
    """Every problem of the named files, the template rendered with each valid directive in memory
    (a misspelt name in the template is a problem too), sorted."""
    directives = check_files(project, names, whole_project=whole_project)
    organisation = project.organisation()
    try:
        for sources in [*directives.values(), *_directives_using(project, names, directives)]:
            if sources is not None:
                _render(project, sources)
        if organisation is not None and not directives:  # no directive to render with: open the template
            open_template(project.root / organisation.template, template_name=organisation.template)
    except JdgenError as exc:  # the template is wrong: the same for every directive
        project.problems.extend(exc.problems)
    return sorted(set(project.problems), key=Problem.sort_key)


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
    """Build the named directives into `output`: all of their files, or none and a `JdgenError`."""
    if not options.force:
        refuse_signed(
            [output / f"{Path(name).stem}{suffix}" for name in names for suffix in options.suffixes]
        )
    made, problems = make_directives(project, names, options, whole_project=whole_project)
    return Build(_write(output, made, depfile=options.depfile), problems)


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
    # LibreOffice starts now, while the directives are read and rendered (see office.Office).
    starting = _office() if ".pdf" in options.suffixes and office is None else contextlib.nullcontext(office)
    with starting as office:
        all_sources = check_files(project, names, whole_project=whole_project)
        if ".asice" in options.suffixes and not options.force:
            project.problems.extend(_drafts_to_sign(project, all_sources))
        problems = sorted(set(project.problems), key=Problem.sort_key)
        if project.errors or any(s is None for s in all_sources.values()):
            raise JdgenError(problems)
        try:
            made = _make(project, [s for s in all_sources.values() if s is not None], options, office)
        except JdgenError as exc:  # the template or LibreOffice: said with the warnings found
            raise JdgenError(sorted({*problems, *exc.problems}, key=Problem.sort_key)) from None
    return made, problems


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


def _make(project: Project, all_sources: list[DirectiveSources], options: BuildOptions, office) -> list:
    """The bytes of every file of every directive: (sources, {suffix: bytes}, PDF summary)."""
    documents = {}
    for index, sources in enumerate(all_sources, 1):
        if len(all_sources) > 1:
            progress.show(
                _("rendering {index}/{count}: {path}").format(
                    index=index, count=len(all_sources), path=sources.path
                )
            )
        documents[sources.path] = _render(project, sources)
    progress.clear()
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


def _write(output: Path, made: list, *, depfile: bool) -> list[BuiltDirective]:
    """Stage every file of every directive, then move them all into place."""
    built = []
    with Outputs() as staged:
        for sources, files, summary in made:
            stem = Path(sources.path).stem
            paths = {output / f"{stem}{suffix}": data for suffix, data in files.items()}
            changed = {path: not path.is_file() or path.read_bytes() != data for path, data in paths.items()}
            if depfile:
                targets = [display_path(path) for path in paths]
                paths[output / f"{stem}.d"] = make_rule(
                    targets, sorted({*sources.files, sources.organisation.template})
                )
            for path, data in paths.items():
                staged.stage(path, data)
            built.append(BuiltDirective(sources, changed, summary))
        staged.commit()
    return built


@dataclass(frozen=True)
class Comparison:
    """What changed between two versions of a position or a directive, in the document's terms."""

    title: str  # "OLD -> NEW"
    changes: list[Change]
    note: str  # what a change flagged for consent needs, in the agency's words
    organisation: Organisation
    layout: AnnexLayout
    warnings: list[Problem]

    @property
    def flagged(self) -> int:
        return sum(change.consent for change in self.changes)


def compare(project: Project, old_spec: str, new_spec: str) -> Comparison:
    """Compare two versions, each a file of the project or REVISION:FILE (a revision's project is
    read from git into a scratch folder, gone once both sides are read); a `JdgenError` with the
    problems where either side is not valid."""
    import tempfile

    from . import changes  # imported here, not by every build

    with tempfile.TemporaryDirectory(prefix="jdgen-diff-") as folder:
        scratch = Path(folder)
        sides = [_version(project, spec, scratch) for spec in (old_spec, new_spec)]
        kinds = {kind_of(version.rel) for version in sides}
        if kinds - {"directive", "position"} or len(kinds) != 1:
            raise UsageError(_("diff: compare two positions or two directives"))
        (old_project, old), (new_project, new) = [(Project(v.root), v) for v in sides]
        organisation = new_project.organisation()
        loaded = [_side(p, v.rel, kinds) for p, v in ((old_project, old), (new_project, new))]
        problems = sorted({*old_project.problems, *new_project.problems}, key=Problem.sort_key)
        if organisation is None or None in loaded or any(not p.warning for p in problems):
            raise JdgenError(problems)
        template = organisation.template
        layout = annex_layout(new_project.root / template, template_name=template, organisation=organisation)
        if kinds == {"position"}:
            (before, old_unit), (after, new_unit) = loaded
            found = changes.position_changes(before, after, layout, old_unit=old_unit, new_unit=new_unit)
        else:
            found = changes.directive_changes(loaded[0], loaded[1], layout)
    note = organisation.consent_note or _(
        "a filled post needs the official's consent or a reorganisation basis"
    )
    return Comparison(f"{old.name} -> {new.name}", found, note, organisation, layout, problems)


def _version(project: Project, spec: str, scratch: Path) -> changes.Version:
    """A side of a comparison: a file of the project now, or a file at a git revision."""
    from . import changes, gitrepo

    revision, path = changes.split_revision(spec, lambda text: Path(text).exists())
    if revision is None:
        rel = project.named(Path(path))
        return changes.Version(project.root, rel, rel)
    root = gitrepo.project_at_revision(project.root, revision, scratch)
    absolute = Path(path) if Path(path).is_absolute() else Path.cwd() / path
    try:
        rel = absolute.resolve().relative_to(project.root).as_posix()
    except ValueError:
        rel = Path(path).as_posix()  # already written relative to the project folder
    if not (root / rel).is_file():
        raise UsageError(
            _("{spec}: {file} is not in the project at {revision}").format(
                spec=spec, file=rel, revision=revision
            )
        )
    return changes.Version(root, rel, f"{rel} ({revision})")


def _side(project: Project, rel: str, kinds: set[str]):
    """The validated position (with its unit's name) or directive (with its annexes) at `rel`."""
    if kinds == {"position"}:
        position = project.position(rel)
        _, unit = project.unit_of(rel)
        return None if position is None else (position, unit.name if unit else None)
    directive = project.directive(rel)
    if directive is None:
        return None
    from .changes import DirectiveSide

    annexes = {}
    for path in directive.annexes:
        name = Path(path).as_posix()
        if (project.root / name).is_file():
            position = project.position(name)
            _, unit = project.unit_of(name)
            if position is not None:
                annexes[name] = (position, unit.name if unit else None)
    return DirectiveSide(directive, annexes)
