"""`jdgen import FILE --into UNIT`: a published directive or job description back into YAML."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from .. import imported, inflection, published, skeleton
from ..errors import ExitCode, JdgenError, Problem, UsageError
from ..i18n import _, n_
from ..layout import annex_layout
from ..output import Outputs, display_path
from ..project import DIRECTIVES_DIR, UNIT_FILE, Project
from ..yamltext import yaml_scalar
from . import open_project


def run(args: argparse.Namespace) -> ExitCode:
    project = open_project()
    _check_source(args.source)
    organisation = project.organisation()
    if organisation is None:
        raise JdgenError(sorted(set(project.problems), key=Problem.sort_key))
    into_path = args.into if args.into.is_absolute() else Path.cwd() / args.into
    try:
        unit_dir = into_path.resolve().relative_to(project.root).as_posix()
    except ValueError:
        raise UsageError(
            _("--into {folder} is not inside the project folder {root}").format(
                folder=args.into, root=project.root
            )
        ) from None
    if args.directive is not None:
        _check_directive_file(project.root, args.directive)
    template = project.root / organisation.template
    layout = annex_layout(template, template_name=organisation.template, organisation=organisation)
    read = _read(args.source, template, layout, organisation)
    includes = [
        imported.Include(name, loaded.data)
        for name in project.include_files()
        if (loaded := project.files.read(name)) is not None
    ]
    required = tuple(name for name, value in organisation.extras.position.items() if value.required)
    writer = imported.Writer(includes, required)
    units_there = _unit_names(project, unit_dir)
    files = _files(project.root, read, writer, layout, unit_dir, args.directive, units_there)
    existing = [path for path in files if path.exists()]
    if existing and not args.force:
        raise UsageError(
            _("{path} exists already (and {count} more): use --force").format(
                path=display_path(existing[0]), count=len(existing) - 1
            )
        )
    with Outputs() as staged:  # every file, or none
        for path, text in files.items():
            staged.stage(path, text.encode())
        staged.commit()
    for path in files:
        print(_("{path}: written").format(path=display_path(path)))
    for line in writer.near:
        print(_("near match, written out: {line}").format(line=line))
    source_lines = _source_lines(args.source)
    for number, text in zip(read.kept_as_text, _kept_texts(read), strict=True):
        where = _line_of(source_lines, text)
        said = _(
            "point {number} is read as a further point (extra_points), word for word: "
            "check that it is not a kind jdgen knows"
        )
        print(
            f"{display_path(args.source)}{where}: {_('warning:')} {said.format(number=number)}",
            file=sys.stderr,
        )
    if read.title is None and (read.number is not None or read.listed):
        said = _(
            "the directive's title was not found before the legal basis of organisation.yaml; "
            "written as … — fill it in"
        )
        print(f"{display_path(args.source)}: {_('warning:')} {said}", file=sys.stderr)
    print(_summary(read))
    count = len(read.annexes)
    print(
        n_("{count} position", "{count} positions", count).format(count=count)
        + "; "
        + _("includes used: {count}").format(count=len(writer.used))
    )
    return ExitCode.OK


def _check_source(source: Path) -> None:
    if not source.is_file():
        what = (
            _("is a folder")
            if source.is_dir()
            else _("is not a file")
            if source.exists()
            else _("no such file")
        )
        raise UsageError(
            _("{path}: {problem}; give the published text (.txt) or a .docx").format(
                path=source, problem=what
            )
        )


def _read(source: Path, template: Path, layout, organisation) -> published.PublishedDirective:
    """What the published text says; a file that is no published directive is refused in one line."""
    lines = published.published_lines(source)
    try:
        phrases = published.template_phrases(template)
        whole = source.suffix.lower() == ".docx"
        read = published.read_published(lines, phrases, layout, organisation, whole_cells=whole)
        published.refuse_templates(lines)
        if not read.annexes or not any(annex.fields for annex in read.annexes):
            raise published.NotPublished(_("found no job description in it (no labelled values)"))
    except published.NotPublished as exc:
        raise JdgenError.at(
            display_path(source),
            _("not a published directive: {problem}; nothing was written").format(problem=exc),
            hint=_("give the register's text (.txt) or the signed .docx of a directive or job description"),
        ) from None
    return read


def _check_directive_file(root: Path, directive: Path) -> None:
    """--directive names a YAML file in the project's directives/ (import writes nothing elsewhere)."""
    target = directive if directive.is_absolute() else root / directive
    folder = (root / DIRECTIVES_DIR).resolve()
    if (
        target.suffix not in (".yaml", ".yml")
        or target.name.startswith(("_", "."))
        or not target.resolve().is_relative_to(folder)
    ):
        raise UsageError(
            _("--directive {path}: a directive's file goes into {folder}/, e.g. {folder}/NAME.yaml").format(
                path=directive, folder=DIRECTIVES_DIR
            )
        )


def _files(
    root: Path,
    read: published.PublishedDirective,
    writer: imported.Writer,
    layout,
    unit_dir: str,
    directive: Path | None,
    existing: dict[str, str],
) -> dict[Path, str]:
    """The YAML files to write: one per annex, the unit's if it has none, the directive
    (`existing`: the units there are in and right inside `unit_dir`, folder -> name)."""
    files: dict[Path, str] = {}
    names: list[str] = []
    place = _placement(read, unit_dir, existing)
    for index, annex in enumerate(read.annexes, 1):
        folder = place.folders.get(annex.fields.get("unit", "").lower(), unit_dir)
        stem = skeleton.file_name(annex.fields.get("title", f"ametikoht {index}"))
        name, counter = f"{folder}/{stem}.yaml", 2
        while name in names:
            name, counter = f"{folder}/{stem}-{counter}.yaml", counter + 1
        names.append(name)
        files[root / name] = writer.position_yaml(annex, layout, f"Lisa {annex.number or index}")
    for folder, unit_name in place.new_units.items():
        genitive = read.unit_genitive if folder == place.directive_unit else None
        files[root / folder / UNIT_FILE] = _unit_yaml(
            unit_name, genitive or read.unit_genitives.get(unit_name.lower())
        )
    if read.title is not None or read.number is not None or read.listed:  # a directive's page
        number = skeleton.file_name(read.number) if read.number else "uus"  # "2.1-2/24/183": no folders
        target = directive or Path(DIRECTIVES_DIR) / f"{Path(unit_dir).name}-{number}.yaml"
        files[target if target.is_absolute() else root / target] = imported.directive_yaml(
            read, place.directive_unit, names
        )
    return files


@dataclass
class _Placement:
    """Where the imported annexes go: a folder per unit name (lower case), the unit files to write
    (folder -> name), and the folder of the unit the directive approves."""

    folders: dict[str, str]
    new_units: dict[str, str]
    directive_unit: str


def _placement(
    read: published.PublishedDirective, unit_dir: str, existing_units: dict[str, str]
) -> _Placement:
    """Where the template prints a unit around the annexes' own (a service above its departments)
    and the text names others for the annexes, each annex's unit is a folder inside `unit_dir`
    (an existing one of that name, or a new one), `unit_dir` is the outer unit, and the directive
    approves the annexes' unit if they share one. Where `unit_dir` is the annexes' own unit already,
    or the template prints no outer unit, everything goes into `unit_dir`."""
    outer = next((annex.outer_unit for annex in read.annexes if annex.outer_unit), None)
    own = list(dict.fromkeys(annex.fields["unit"] for annex in read.annexes if annex.fields.get("unit")))
    existing = {folder: name.lower() for folder, name in existing_units.items()}
    here = existing.get(unit_dir)
    nested = outer is not None and any(name.lower() != outer.lower() for name in own)
    if not nested or (len(own) == 1 and _is_own(here, unit_dir, own[0])):  # --into is the annexes' own unit
        new = {} if here is not None else {unit_dir: own[0] if own else skeleton.PLACEHOLDER}
        return _Placement({}, new, unit_dir)
    folders, new_units = {}, {} if here is not None else {unit_dir: outer or skeleton.PLACEHOLDER}
    for name in own:
        found = next((f for f, n in existing.items() if n == name.lower() and f != unit_dir), None)
        folders[name.lower()] = found or f"{unit_dir}/{skeleton.file_name(name)}"
        if found is None:
            new_units[folders[name.lower()]] = name
    return _Placement(folders, new_units, folders[own[0].lower()] if len(own) == 1 else unit_dir)


def _is_own(here: str | None, unit_dir: str, name: str) -> bool:
    """Whether `unit_dir` is the unit `name`: by its `_unit.yaml`, or (a new folder) by its name."""
    return here == name.lower() if here is not None else Path(unit_dir).name == skeleton.file_name(name)


def _unit_names(project: Project, unit_dir: str) -> dict[str, str]:
    """The names of the valid units in `unit_dir` and the folders right inside it (folder -> name)."""
    folder = project.root / unit_dir
    found = [folder / UNIT_FILE, *sorted(folder.glob(f"*/{UNIT_FILE}"))]
    names = {}
    for path in (p for p in found if p.is_file()):
        rel = path.relative_to(project.root).as_posix()
        if (unit := project.unit(rel)) is not None:  # `check` says what is wrong with the others
            names[path.parent.relative_to(project.root).as_posix()] = unit.name
    return names


def _unit_yaml(name: str, genitive: str | None) -> str:
    """A unit's file: its name, and its genitive where the rule would not derive it (a placeholder
    where the text did not give it either)."""
    lines = [f"name: {yaml_scalar(name)}"]
    derived = inflection.genitive(name)
    if genitive is not None and derived != genitive:
        lines.append(f"genitive: {yaml_scalar(genitive)}")
    elif genitive is None and derived is None:
        lines.append(f"genitive: {skeleton.PLACEHOLDER}")
    return "\n".join(lines) + "\n"


def _kept_texts(read: published.PublishedDirective) -> list[str]:
    """The texts of the points kept as further points, in order (the further points are those)."""
    kept = read.extra_points[-len(read.kept_as_text) :] if read.kept_as_text else []
    return [point["text"] if isinstance(point, dict) else point for point in kept]


def _source_lines(source: Path) -> list[str]:
    if source.suffix.lower() == ".docx":
        return []
    return source.read_text("utf-8-sig", errors="replace").splitlines()


def _line_of(lines: list[str], text: str) -> str:
    """`:N` for the line of the source where `text` begins, if it can be found."""
    start = " ".join(text.split()[:4])
    for number, line in enumerate(lines, 1):
        if start and start in " ".join(line.split()):
            return f":{number}"
    return ""


def _summary(read: published.PublishedDirective) -> str:
    """What was read, what was kept as written, and what the text did not have."""
    stubs = [str(annex.number) for annex in read.annexes if annex.stub]
    parts = [
        _("read: {count} annex(es) with their text").format(count=len(read.annexes) - len(stubs)),
        _("{count} repealed act(s)").format(count=len(read.repeals)),
        _("{count} further point(s)").format(count=len(read.extra_points)),
    ]
    if read.kept_as_text:
        kept = ", ".join(map(str, read.kept_as_text))
        parts.append(_("kept word for word: point(s) {numbers}").format(numbers=kept))
    if stubs:
        said = _("not in the text: the body of Lisa {numbers} (written as stubs)")
        parts.append(said.format(numbers=", ".join(stubs)))
    return "; ".join(parts)
