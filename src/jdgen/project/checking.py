"""Checking a project as `jdgen check` does, and as every build does first: the stages of a run
up to rendering. Each named file read and validated (`files`), each directive assembled
(`assembly`), the reviewer's checks and what the template and the data disagree on
(`reviewing`), and the template rendered with each directive in memory (a whole project's
directives part by part on every core, each released once rendered).
"""

from __future__ import annotations

import functools
import posixpath
from pathlib import Path

from ..document.render import open_template, render_directive
from ..errors import JdgenError, Problem
from ..format import review
from ..format.assembled import DirectiveSources
from ..format.folders import kind_of
from ..format.model import Directive
from . import forks
from .assembly import Uses, assemble
from .files import Project
from .impact import directives_using
from .reviewing import review_position, template_agreement, unused_includes

DIRECTIVES_PER_FORK = 4  # a forked process pays off from a few directives on


def check_files(
    project: Project,
    names: list[str],
    *,
    whole_project: bool,
    reviewing: bool = True,
    drafts: dict[str, Directive] | None = None,
) -> dict[str, DirectiveSources | None]:
    """Validate the named files (with `whole_project`, the checks of the whole project too),
    collecting every problem in `project.problems`; the directives among them, None where invalid
    (a directive named in `drafts` is taken as that model says, not as its file does: a draft of
    it). Without `reviewing`, the reviewer's checks of the directives' positions and the template's
    agreement with them are left to `review_directives` (a build runs them while it renders).

    `check` and `build` both come through here, so a build prints the same warnings as a check."""
    drafts = drafts or {}
    project.organisation()
    reviewed = set(project.reviewed)  # the template's agreement is checked for those reviewed now
    # the positions first, all at once (on every core), rather than one by one as each directive asks
    named = [
        d
        for name in names
        if kind_of(name) == "directive" and (d := drafts.get(name) or project.directive(name))
    ]
    wanted = [Path(annex).as_posix() for directive in named for annex in directive.annexes]
    everyone = [name for name in project.position_files() if name not in reviewed] if whole_project else []
    project.read_positions(everyone or wanted)
    directives: dict[str, DirectiveSources | None] = {}
    for name in names:
        kind = kind_of(name)
        if kind == "directive":
            directives[name] = sources = assemble(project, name, drafts.get(name))
            for annex in sources.annexes if sources and reviewing else ():
                review_position(project, annex.path)
        elif kind == "position":
            review_position(project, name)
        elif kind == "unit":
            project.unit(name)
        else:
            project.files.read(name)
    if whole_project:
        for name in project.position_files():
            review_position(project, name)
        unused_includes(project)
        valid = {name: d for name in project.directive_files() if (d := project.directive(name)) is not None}
        project.problems.extend(review.duplicate_numbers(valid, project.files.locate))
        if len(valid) == len(project.directive_files()):  # every directive read: what they approve
            approved = {
                posixpath.normpath(annex) for directive in valid.values() for annex in directive.annexes
            }
            project.problems.extend(review.in_no_directive(project.position_files(), approved))
    if reviewing:
        template_agreement(project, project.reviewed - reviewed)
    return directives


def review_directives(
    project: Project, all_sources: list[DirectiveSources]
) -> tuple[list[Problem], set[str]]:
    """What `check_files(…, reviewing=False)` left out: the reviewer's checks of the directives'
    positions and the template's agreement with them. The problems found (not kept in
    `project.problems`: the caller adds them) and the positions reviewed."""
    start, reviewed = len(project.problems), set(project.reviewed)
    for sources in all_sources:
        for annex in sources.annexes:
            review_position(project, annex.path)
    template_agreement(project, project.reviewed - reviewed)
    found = project.problems[start:]
    del project.problems[start:]
    return found, set(project.reviewed)


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
            project.reviewed |= reviewed
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
            render_directive(project.root, sources, packed=False)
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
    released: the problems, the positions reviewed, the includes learnt of the files read."""
    rendering, uses = True, Uses(project, part)
    with forks.flat_memory() as let_go:
        for name in part:
            sources = check_files(project, [name], whole_project=False)[name]
            if sources is not None and rendering:
                try:
                    render_directive(project.root, sources, packed=False)
                except JdgenError as exc:  # the template is wrong: the same for every directive
                    project.problems.extend(exc.problems)
                    rendering = False
            uses.done(name)
            let_go()
    return project.problems, project.reviewed, project.files.includes_known()


def _directives_using(project: Project, names: list[str], checked: dict) -> list[DirectiveSources | None]:
    """The valid directives that use the named files (other than those checked already): a check of
    a position renders it as its directive prints it. What their other files say is left out of
    this check (the files are still read once: what the check read is not read again)."""
    start = len(project.problems)
    using = [assemble(project, name) for name in directives_using(project, set(names)) if name not in checked]
    del project.problems[start:]
    return using
