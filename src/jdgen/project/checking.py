"""Checking a project as `jdgen check` does, and as every build does first: each named file
validated, the reviewer's checks, what the template and the data disagree on, and the template
rendered with each directive in memory (a whole project's directives part by part on every core,
each let go once rendered).
"""

from __future__ import annotations

import functools
import posixpath
from pathlib import Path

from ..document.layout import AnnexLayout, annex_layout
from ..document.render import open_template, render_docx
from ..errors import JdgenError, Problem
from ..format import extras, review
from ..format.folders import kind_of
from ..format.model import DirectiveSources, Organisation
from . import forks
from .files import ORGANISATION_FILE, Project
from .impact import directives_using

DIRECTIVES_PER_FORK = 4  # a forked process pays off from a few directives on


def check_files(
    project: Project, names: list[str], *, whole_project: bool, reviewing: bool = True
) -> dict[str, DirectiveSources | None]:
    """Validate the named files (with `whole_project`, the checks of the whole project too),
    collecting every problem in `project.problems`; the directives among them, None where invalid.
    Without `reviewing`, the reviewer's checks of the directives' positions and the template's
    agreement with them are left to `review_directives` (a build runs them while it renders).

    `check` and `build` both come through here, so a build prints the same warnings as a check."""
    project.organisation()
    reviewed = project.reviewed  # before: the template's agreement is checked for those reviewed now
    # the positions first, all at once (on every core), rather than one by one as each directive asks
    named = [d for name in names if kind_of(name) == "directive" and (d := project.directive(name))]
    wanted = [Path(annex).as_posix() for directive in named for annex in directive.annexes]
    everyone = [name for name in project.position_files() if name not in reviewed] if whole_project else []
    project.read_positions(everyone or wanted)
    directives: dict[str, DirectiveSources | None] = {}
    for name in names:
        kind = kind_of(name)
        if kind == "directive":
            directives[name] = sources = project.directive_sources(name)
            for annex in sources.annexes if sources and reviewing else ():
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
        if len(valid) == len(project.directive_files()):  # every directive read: what they approve
            approved = {
                posixpath.normpath(annex) for directive in valid.values() for annex in directive.annexes
            }
            project.problems.extend(review.in_no_directive(project.position_files(), approved))
    if reviewing:
        _template_agreement(project, project.reviewed - reviewed)
    return directives


def review_directives(
    project: Project, all_sources: list[DirectiveSources]
) -> tuple[list[Problem], set[str]]:
    """What `check_files(…, reviewing=False)` left out: the reviewer's checks of the directives'
    positions and the template's agreement with them. The problems found (not kept in
    `project.problems`: the caller adds them) and the positions reviewed."""
    start, reviewed = len(project.problems), project.reviewed
    for sources in all_sources:
        for annex in sources.annexes:
            project.review_position(annex.path)
    _template_agreement(project, project.reviewed - reviewed)
    found = project.problems[start:]
    del project.problems[start:]
    return found, project.reviewed


def _template_agreement(project: Project, reviewed: set[str]) -> None:
    """What the template and the data disagree on: declared extras it does not print (or prints
    undeclared), values of the `reviewed` positions it never prints, genitives it prints that no
    rule derives and no file gives."""
    organisation = project.organisation()
    template = project.root / organisation.template if organisation is not None else None
    if organisation is None or template is None or not template.is_file():
        return  # the template's own problems are said where it is opened
    try:
        stat = template.stat()
        layout = _layout(template, stat.st_mtime_ns, stat.st_size, organisation)
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
    for name in sorted(reviewed):
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


def _layout(template: Path, _mtime: int, _size: int, organisation: Organisation) -> AnnexLayout:
    """The template's layout, read once per version of the file and organisation (a build of many
    directives checks each against it)."""
    key = (template, _mtime, _size, organisation.model_dump_json())
    layout = _LAYOUTS.get(key)
    if layout is None:
        layout = annex_layout(template, template_name=organisation.template, organisation=organisation)
        _LAYOUTS.clear()
        _LAYOUTS[key] = layout
    return layout


_LAYOUTS: dict[tuple, AnnexLayout] = {}


def check_project(
    project: Project, names: list[str], *, whole_project: bool, rendered: int | None = None
) -> list[Problem]:
    """Every problem of the named files, the template rendered with each valid directive in memory
    (a misspelt name in the template is a problem too; `rendered`: with that many only), sorted.
    The renderings are a build's without its writing: on every core, each let go once done. A
    whole project's directives are checked part by part in forked processes, each reading only
    its directives' files and letting each go once rendered: memory stays flat."""
    named = [name for name in names if kind_of(name) == "directive"]
    workers = min(forks.cores(), len(named) // DIRECTIVES_PER_FORK)
    if whole_project and rendered is None and workers > 1 and forks.can_fork():
        project.organisation()  # read once, before the children start
        for problems, reviewed, includes in forks.in_forks(
            forks.chunks(named, workers), functools.partial(_checked_part, project)
        ):
            project.problems.extend(problems)
            project.mark_reviewed(reviewed)
            project.files.adopt_includes(includes)
        check_files(project, [name for name in names if name not in named], whole_project=True)
        return sorted(set(project.problems), key=Problem.sort_key)
    directives = check_files(project, names, whole_project=whole_project)
    organisation = project.organisation()
    every = [
        s for s in [*directives.values(), *_directives_using(project, names, directives)] if s is not None
    ][:rendered]
    for sources in every:
        try:
            render(project, sources, packed=False)
        except JdgenError as exc:  # the template is wrong: the same for every directive
            project.problems.extend(exc.problems)
            break
    if organisation is not None and not directives:  # no directive to render with: open the template
        try:
            open_template(project.root / organisation.template, template_name=organisation.template)
        except JdgenError as exc:
            project.problems.extend(exc.problems)
    return sorted(set(project.problems), key=Problem.sort_key)


def _checked_part(project: Project, part: list[str]) -> tuple[list[Problem], set[str], dict[str, set[str]]]:
    """A part of the directives checked one by one, each rendered (until the template fails) and
    let go: the problems, the positions reviewed, the includes learnt of the files read."""
    rendering = True
    with forks.flat_memory() as let_go:
        for name in part:
            sources = check_files(project, [name], whole_project=False)[name]
            if sources is not None and rendering:
                try:
                    render(project, sources, packed=False)
                except JdgenError as exc:  # the template is wrong: the same for every directive
                    project.problems.extend(exc.problems)
                    rendering = False
            if sources is not None:
                project.let_go(sources)
            let_go()
    return project.problems, project.reviewed, project.files.includes_known()


def _directives_using(project: Project, names: list[str], checked: dict) -> list[DirectiveSources | None]:
    """The valid directives that use the named files (other than those checked already): a check of
    a position renders it as its directive prints it. Read apart, so that their other files'
    problems stay out of this check."""
    apart = Project(project.root)
    return [
        apart.directive_sources(name) for name in directives_using(apart, set(names)) if name not in checked
    ]


def render(project: Project, sources: DirectiveSources, *, packed: bool = True) -> bytes:
    template = sources.organisation.template
    return render_docx(project.root / template, sources, template_name=template, packed=packed)
