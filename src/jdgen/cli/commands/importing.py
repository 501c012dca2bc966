"""`jdgen import FILE --into UNIT`: a published directive or job description back into YAML."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ...authoring import annextext, imported, proof, published, skeleton, sourcetext
from ...authoring.phrases import template_phrases
from ...document.layout import annex_layout
from ...errors import ExitCode, JdgenError, Problem, UsageError
from ...format import inflection
from ...format.yamltext import yaml_scalar
from ...i18n import _, n_
from ...output import Outputs, display_path
from ...project.files import DIRECTIVES_DIR, UNIT_FILE, Project
from ...project.reviewing import include_files
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
    phrases = template_phrases(template, organisation)
    source, page_numbers = _source(args.source)
    read = _read(args.source, [line.text for line in source], phrases, layout, organisation)
    includes = [
        imported.Include(name, loaded.data)
        for name in include_files(project.root)
        if (loaded := project.files.read(name)) is not None
    ]
    required = tuple(name for name, value in organisation.extras.position.items() if value.required)
    units_there = _unit_names(project, unit_dir)

    def files_of() -> tuple[dict[Path, str], imported.Writer]:
        writer = imported.Writer(includes, required)
        return _files(project.root, read, writer, layout, unit_dir, args.directive, units_there), writer

    _further_rows(args.source, read)
    proving = proof.Proving(
        project.root, organisation, phrases, source, read, unit_dir, layout, args.source.suffix.lower()
    )
    files, writer, found = proving.prove(files_of)
    if not found.holds and not args.partial:
        _said_left_out(args.source, page_numbers)
        for line in _proof_lines(args.source, found):
            print(line, file=sys.stderr)
        print(_proof_summary(found, written=False), file=sys.stderr)
        return ExitCode.INVALID
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
    for number, text in zip(read.kept_as_text, _kept_texts(read), strict=True):
        where = _line_of(source, text)
        said = _(
            "point {number} is read as a further point (extra_points), word for word: "
            "check that it is not a kind jdgen knows"
        )
        print(
            f"{display_path(args.source)}{where}: {_('warning:')} {said.format(number=number)}",
            file=sys.stderr,
        )
    if read.annex_page:
        said = (
            _(
                "the text shows annexes only: their directive is written with the number, date and title "
                "of their header — check its points"
            )
            if read.title
            else _(
                "the text shows annexes only: their directive is written with the number and date of their "
                "header, and the title … — fill in its title and points"
            )
        )
        print(f"{display_path(args.source)}: {_('warning:')} {said}", file=sys.stderr)
    elif read.title is None and (read.number is not None or read.listed):
        said = _(
            "the directive's title was not found before the legal basis of organisation.yaml; "
            "written as … — fill it in"
        )
        print(f"{display_path(args.source)}: {_('warning:')} {said}", file=sys.stderr)
    own_columns = [column for column in layout.task_columns if column.startswith("extra.")]
    if own_columns and args.source.suffix.lower() != ".docx" and any(a.tasks for a in read.annexes):
        said = _(
            "a text has no columns: the tasks' column «{label}» is read as more of each task; move its "
            "words to the task's {name} (import the .docx to have them there)"
        ).format(label=layout.label(f"task.{own_columns[0]}"), name=own_columns[0])
        print(f"{display_path(args.source)}: {_('warning:')} {said}", file=sys.stderr)
    for annex in read.annexes:
        if annex.heading_title:
            said = _(
                "Lisa {number}: the title stands only in the heading, in the genitive («{heading}»), and no "
                "rule gives its nominative: written as … — fill in title"
            ).format(number=annex.number, heading=annex.fields.get("title_genitive", ""))
            print(f"{display_path(args.source)}: {_('warning:')} {said}", file=sys.stderr)
        if annex.stub and annex.span is not None and annex.missing:
            said = _("Lisa {number} is shown only in part: written as a stub; fill in {fields}").format(
                number=annex.number, fields=", ".join(annex.missing)
            )
            at = source[annex.span[0]].number if annex.span[0] < len(source) else None
            print(
                f"{display_path(args.source)}{f':{at}' if at else ''}: {_('warning:')} {said}",
                file=sys.stderr,
            )
    _said_left_out(args.source, page_numbers)
    for line in _proof_lines(args.source, found):
        print(line, file=sys.stderr)
    print(_summary(read))
    count = len(read.annexes)
    print(
        n_("{count} position", "{count} positions", count).format(count=count)
        + "; "
        + _("includes used: {count}").format(count=len(writer.used))
    )
    print(_proof_summary(found, written=True))
    return ExitCode.OK if found.holds else ExitCode.INVALID


def _said_left_out(source: Path, page_numbers: list[proof.SourceLine]) -> None:
    for line in page_numbers:
        said = _("left out: {text!r} is a page's number").format(text=line.text)
        where = f"{display_path(source)}:{line.number}" if line.number else display_path(source)
        print(f"{where}: {said}", file=sys.stderr)


def _further_rows(source: Path, read: published.PublishedDirective) -> None:
    """A line for each row of the source that the template has no label for: kept as a further row."""
    for annex in read.annexes:
        for row in annex.rows:
            said = _(
                "Lisa {number}: the template has no row «{label}»: kept as a further row after {after} (rows)"
            ).format(number=annex.number, label=row["label"], after=row["after"])
            print(f"{display_path(source)}: {said}", file=sys.stderr)


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
            _("{path}: {problem}; give the published text (.txt), a .docx or a .pdf").format(
                path=source, problem=what
            )
        )


def _source(source: Path) -> tuple[list[proof.SourceLine], list[proof.SourceLine]]:
    """The source's lines as import reads them, and the lines left out as page numbers."""
    lines = [proof.SourceLine(number, text) for number, text in sourcetext.numbered_lines(source)]
    pages = (
        set(sourcetext.page_numbers([(line.number, line.text) for line in lines]))
        if source.suffix.lower() != ".docx"  # a DOCX's body has no page numbers
        else set()
    )
    return [line for i, line in enumerate(lines) if i not in pages], [lines[i] for i in sorted(pages)]


def _read(source: Path, lines: list[str], phrases, layout, organisation) -> published.PublishedDirective:
    """What the published text says; a file that is no published directive is refused in one line."""
    try:
        whole = source.suffix.lower() == ".docx"
        rows = sourcetext.docx_row_labels(source)
        read = published.read_published(
            lines,
            phrases,
            layout,
            organisation,
            whole_cells=whole,
            row_labels=rows,
            complete=source.suffix.lower() in (".docx", ".pdf"),
        )
        annextext.take_columns(read.annexes, sourcetext.docx_task_rows(source, layout.task_start()), layout)
        published.refuse_templates(lines)
        if not read.annexes or not any(annex.fields for annex in read.annexes):
            raise published.NotPublished(_("found no job description in it (no labelled values)"))
    except published.NotPublished as exc:
        raise JdgenError.at(
            display_path(source),
            _("not a published directive: {problem}; nothing was written").format(problem=exc),
            hint=_(
                "give the register's text (.txt), or the signed .pdf or .docx of a directive or job "
                "description"
            ),
        ) from None
    return read


def _proof_lines(source: Path, found: proof.Proof) -> list[str]:
    """One line for each place where the build does not say what the source says."""
    lines = [f"{display_path(source)}: {said}" for said in found.unread]
    if found.problems:
        lines.append(
            f"{display_path(source)}: "
            + _("the files import would write would not build; what build would say of them:")
        )
    lines += [str(problem) for problem in found.problems]
    for gap in found.gaps:
        where = f"{display_path(source)}:{gap.line}" if gap.line else display_path(source)
        if gap.missing and gap.added:
            said = _("{part}: the build says «{added}» where the source says «{missing}»")
        elif gap.missing:
            said = _("{part}: the build lacks «{missing}»")
        else:
            said = _("{part}: the build adds «{added}»")
        lines.append(
            f"{where}: "
            + said.format(
                part=gap.part, missing=proof.shortened(gap.missing), added=proof.shortened(gap.added)
            )
        )
    for gap in found.moved:
        where = f"{display_path(source)}:{gap.line}" if gap.line else display_path(source)
        said = _(
            "{part}: «{missing}» stands elsewhere in the build (the source's columns read out of order?)"
        )
        warning = "" if found.moves_count else f"{_('warning:')} "
        lines.append(f"{where}: {warning}" + said.format(part=gap.part, missing=proof.shortened(gap.missing)))
    return lines


def _proof_summary(found: proof.Proof, *, written: bool) -> str:
    """The last line: how much of the source the result says."""
    if found.problems:
        if written:
            return _("the files import would write do not build; they were written as they are (--partial)")
        return _("the files import would write do not build; nothing was written")
    moved = sum(len(gap.missing.split()) for gap in found.moved)
    if moved:
        said = _("{reproduced} of the source's {total} words are in the build, {moved} of them elsewhere")
    else:
        said = _("{reproduced} of the source's {total} words are in the build, in order")
    said = said.format(reproduced=found.reproduced, total=found.total, moved=moved)
    if found.holds:
        return said
    if written:
        return said + "; " + _("the files were written as they are (--partial): fix what is listed above")
    return said + "; " + _("nothing was written: fix what is listed above, or keep the result with --partial")


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
    place = imported.placement(read, unit_dir, existing)
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
    if read.title is not None or read.number is not None or read.listed or read.annex_page:
        number = skeleton.file_name(read.number) if read.number else "uus"  # "2.1-2/24/183": no folders
        target = directive or Path(DIRECTIVES_DIR) / f"{Path(unit_dir).name}-{number}.yaml"
        files[target if target.is_absolute() else root / target] = imported.directive_yaml(
            read, place.directive_unit, names
        )
    return files


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


def _line_of(lines: list[proof.SourceLine], text: str) -> str:
    """`:N` for the line of the source (as read) where `text` begins, if it can be found."""
    start = " ".join(text.split()[:4])
    found = next((line.number for line in lines if start and start in line.text and line.number), None)
    return f":{found}" if found else ""


def _summary(read: published.PublishedDirective) -> str:
    """What was read, what was kept as written, and what the text did not have."""
    partly = [str(a.number) for a in read.annexes if a.stub and a.span is not None and _shows_body(a)]
    stubs = [str(a.number) for a in read.annexes if a.stub and str(a.number) not in partly]
    parts = [
        _("read: {count} annex(es) with their text").format(
            count=len(read.annexes) - len(stubs) - len(partly)
        ),
        _("{count} repealed act(s)").format(count=len(read.repeals)),
        _("{count} further point(s)").format(count=len(read.extra_points)),
    ]
    if read.kept_as_text:
        kept = ", ".join(map(str, read.kept_as_text))
        parts.append(_("kept word for word: point(s) {numbers}").format(numbers=kept))
    if partly:
        said = _("shown in part: Lisa {numbers} (written as stubs)")
        parts.append(said.format(numbers=", ".join(partly)))
    if stubs:
        said = _("not in the text: the body of Lisa {numbers} (written as stubs)")
        parts.append(said.format(numbers=", ".join(stubs)))
    return "; ".join(parts)


def _shows_body(annex) -> bool:
    """Whether the text shows some of an annex's body (more than point 1 says of it)."""
    return bool(annex.fields.keys() - {"title", "unit", "title_genitive"} or annex.tasks)
