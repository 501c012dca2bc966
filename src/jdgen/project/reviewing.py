"""The reviewer's checks across files, on what `files.Project` read: a position against its unit's
other posts, its unit's placeholders, what the template and the data disagree on, the shared
files no one includes. Each position is checked once a run (`Project.reviewed`); its checks alone
were made as it was read (`Project.own_checks`), where its nodes were at hand.
"""

from __future__ import annotations

from pathlib import Path

from ..document.layout import AnnexLayout, annex_layout
from ..errors import JdgenError, Location, Problem
from ..format import extras, review
from ..format.folders import ORGANISATION_FILE, POSITIONS_DIR, UNIT_FILE
from ..format.model import Organisation
from ..i18n import _
from .files import Project


def review_position(project: Project, rel: str) -> None:
    """Cross-field checks of one valid position (each position once)."""
    if rel in project.reviewed:
        return
    project.reviewed.add(rel)
    position = project.position(rel)
    unit_dir, unit = project.unit_of(rel)
    if position is None or unit is None:
        return
    rules = organisation.review if (organisation := project.organisation()) else None
    project.problems.extend(project.own_checks(rel))
    unit_file = f"{unit_dir}/{UNIT_FILE}"
    if unit_file not in project.reviewed_units:
        project.reviewed_units.add(unit_file)
        project.problems.extend(review.placeholders(unit, project.files.locator(unit_file)))
    posts = _unit_posts(project, unit_dir) if rules is not None and rules.substitutes else None
    if posts is not None:  # with a position of the unit unreadable, a title may be missing
        project.problems.extend(review.substitutes(position, posts, project.files.locator(rel)))


def _unit_posts(project: Project, unit_dir: str) -> review.Posts | None:
    """The posts of the unit's positions; None if one of them is not valid."""
    if unit_dir not in project.posts:
        names = _positions_of(project, unit_dir)
        project.read_positions(names)
        titles = [project.title_of(name) for name in names]
        complete = None not in titles
        project.posts[unit_dir] = review.Posts(t for t in titles if t) if complete else None
    return project.posts[unit_dir]


def _positions_of(project: Project, unit_dir: str) -> list[str]:
    """The position files under a unit's folder: taken from the project's list where it is in
    it (positions/, no `_`- or `.`-folder on the way), the folder walked again only elsewhere."""
    parts = unit_dir.split("/")
    if parts[0] != POSITIONS_DIR or any(part.startswith(("_", ".")) for part in parts):
        return project.yaml_under(unit_dir)
    return [name for name in project.position_files() if name.startswith(f"{unit_dir}/")]


def unused_includes(project: Project) -> None:
    """Warn about shared files that no position, directive or organisation file uses."""
    used: set[str] = set()
    for name in [ORGANISATION_FILE, *project.directive_files(), *project.position_files()]:
        used |= project.files_of(name)
    for name in include_files(project.root):
        if name not in used:
            project.problems.append(
                Problem(
                    Location(name, 1, 1),
                    _("this shared file is not included by any position or directive"),
                    hint=_("include it where it belongs, or delete it"),
                    warning=True,
                )
            )


def include_files(root: Path) -> list[str]:
    """YAML files in `_`-folders under positions/: the shared includes."""
    base = root / POSITIONS_DIR
    return sorted(
        path.relative_to(root).as_posix()
        for path in base.rglob("*")
        if path.suffix in (".yaml", ".yml")
        and path.is_file()
        and path.name != UNIT_FILE
        and any(part.startswith("_") for part in path.relative_to(base).parts)
    )


def template_agreement(project: Project, reviewed: set[str]) -> None:
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
