"""`jdgen new position|directive`: a new file written like the unit's other positions, valid at once."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from ...authoring import skeleton
from ...document.layout import annex_layout
from ...errors import ExitCode, JdgenError, Problem, UsageError
from ...format.yamlsafe import CONTROL
from ...i18n import _
from ...output import display_path, write_atomic
from ...project.files import DIRECTIVES_DIR, UNIT_FILE
from . import open_project, print_problems


def run(args: argparse.Namespace) -> ExitCode:
    if args.title is not None:  # control characters (pasted from a terminal) are no text: left out
        args.title = CONTROL.sub("", args.title).strip() or None
    project = open_project()
    unit_dir = project.named(args.unit)
    unit = (
        project.unit(f"{unit_dir}/{UNIT_FILE}") if (project.root / unit_dir / UNIT_FILE).is_file() else None
    )
    if unit is None:
        print_problems(sorted(set(project.problems), key=Problem.sort_key), summary=False)
        raise UsageError(
            _("--unit {unit}: no valid {file} there (create it first: name and genitive)").format(
                unit=args.unit, file=UNIT_FILE
            )
        )
    organisation = project.organisation()
    if organisation is None:
        raise JdgenError(sorted(set(project.problems), key=Problem.sort_key))
    unit_positions = [name for name in project.position_files() if name.startswith(f"{unit_dir}/")]
    if args.kind == "position":
        if not args.title:
            raise UsageError(_("new position: give --title, e.g. --title 'Peaspetsialist (analüüs)'"))
        habits = skeleton.unit_habits([(project.root / name).read_text("utf-8") for name in unit_positions])
        layout = annex_layout(
            project.root / organisation.template,
            template_name=organisation.template,
            organisation=organisation,
        )
        merged = frozenset(
            key
            for path in habits.merges
            if (loaded := project.files.read(path)) is not None and isinstance(loaded.data, dict)
            for key in loaded.data
        )
        text = skeleton.position_yaml(args.title, layout, habits, unit.name, merged, organisation.extras)
        target = args.output or project.root / unit_dir / f"{skeleton.file_name(args.title)}.yaml"
    else:
        annexes = [project.named(p) for p in args.positions] if args.positions else unit_positions
        if not annexes:
            raise UsageError(
                _("new directive: {unit} has no positions yet; add them or name --positions").format(
                    unit=unit_dir
                )
            )
        titles = Counter(d.title for d in map(project.directive, project.directive_files()) if d)
        title = args.title or (titles.most_common(1)[0][0] if titles else None)
        if title is None:
            raise UsageError(_("new directive: give --title, e.g. --title 'Ametijuhendite kinnitamine'"))
        text = skeleton.directive_yaml(title, unit_dir, annexes, unit.name)
        target = args.output or project.root / DIRECTIVES_DIR / f"{Path(unit_dir).name}.yaml"
    target = target if target.is_absolute() else Path.cwd() / target
    if target.exists():
        raise UsageError(
            _("{path} exists already: choose another name with -o").format(path=display_path(target))
        )
    directive = project.named(args.directive) if args.kind == "position" and args.directive else None
    listed = annexes_with(project, directive, target) if directive is not None else None
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, text.encode())
    shown = display_path(target)
    said = _("{path}: written; fill in the {placeholder} and run `jdgen check {path}`")
    print(said.format(path=shown, placeholder=skeleton.PLACEHOLDER))
    if directive is not None and listed is not None:
        write_atomic(project.root / directive, listed[0].encode())
        print(_("{directive}: it is Lisa {number} now").format(directive=directive, number=listed[1]))
    elif args.kind == "position":
        print(_next_step(project, unit_dir, shown))
    return ExitCode.OK


def annexes_with(project, directive: str, position: Path) -> tuple[str, int]:
    """The directive file's text with `position` added as its last annex (the list's own way of
    writing an item kept: its indent, its line ends; the path quoted where YAML would read it as
    something else), and the annex's number."""
    import json

    import yaml

    from ...format.yamlsafe import NamedText, Parser

    def refuse(why: str) -> UsageError:
        return UsageError(
            _("--directive {directive}: {why}; add {path} to its annexes by hand").format(
                directive=directive, why=why, path=rel
            )
        )

    rel = project.files.relative(position)
    if Path(rel).is_absolute():
        raise refuse(_("the new position is outside the project"))
    with open(project.root / directive, encoding="utf-8", newline="") as stream:
        text = stream.read()
    loader = Parser(NamedText(text, directive))
    try:
        root = loader.get_single_node()
    except yaml.YAMLError:
        raise refuse(_("it is not valid YAML (jdgen check says where)")) from None
    finally:
        loader.dispose()
    pairs = root.value if isinstance(root, yaml.MappingNode) else []
    annexes = next((value for key, value in pairs if getattr(key, "value", None) == "annexes"), None)
    items = annexes.value if isinstance(annexes, yaml.SequenceNode) and annexes.flow_style is False else []
    if not items:
        raise refuse(_("its annexes are not a list of one path a line"))
    written = rel if yaml.safe_load(rel) == rel and ":" not in rel else json.dumps(rel, ensure_ascii=False)
    lines = text.splitlines(keepends=True)
    end = "\r\n" if lines[0].endswith("\r\n") else "\n"
    last = items[-1]
    item = lines[last.start_mark.line][: last.start_mark.column] + written + end
    at = last.end_mark.line + (1 if last.end_mark.column > 0 else 0)
    if not lines[at - 1].endswith("\n"):
        lines[at - 1] += end
    return "".join([*lines[:at], item, *lines[at:]]), len(items) + 1


def _next_step(project, unit_dir: str, shown: str) -> str:
    """What makes the new position part of a directive: the unit's directive, if it has one."""
    ours = [
        name
        for name in project.directive_files()
        if (directive := project.directive(name)) is not None and Path(directive.unit).as_posix() == unit_dir
    ]
    if ours:
        return _(
            "next: add it to the annexes of {directive} (or write it with --directive {directive}): "
            "until then no directive approves it"
        ).format(directive=ours[0])
    return _(
        "next: add it to the annexes of a directive, or start one with `jdgen new directive --unit {unit}`"
    ).format(unit=unit_dir)
