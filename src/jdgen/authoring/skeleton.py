"""Starting points for new files: a position that already uses its unit's usual includes, a directive.

`jdgen new position` looks at how the other positions of the unit are written (which includes they
merge, which shared tasks and knowledge lines they list) and writes a file that does the same, with
`…` where HR fills in and a comment naming each field as the template labels it. The result is valid
at once: it passes `jdgen check` and builds (the `…` show in the document until filled in).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from ..document.layout import AnnexLayout
from ..format.agency import Extras, ExtraValue
from ..format.load import INCLUDE_TAG
from ..format.model import Directive, Part, Position, Shape, parts
from ..format.yamltext import yaml_scalar
from ..i18n import _

PLACEHOLDER = "…"


@dataclass
class UnitHabits:
    """How the positions of a unit are usually written: includes used by at least half of them."""

    positions: int = 0
    merges: list[str] = field(default_factory=list)  # `<<: !include …`
    values: dict[str, str] = field(default_factory=dict)  # `key: !include …`
    items: dict[str, list[str]] = field(default_factory=dict)  # `key: [- !include …]`
    common: dict[str, str] = field(default_factory=dict)  # the same text in most positions
    keys: set[str] = field(default_factory=set)  # keys most positions write themselves


POSITION_PARTS = parts(Position)
DIRECTIVE_PARTS = parts(Directive)
# The fields whose usual text a new position takes (a paragraphs field written as one text too).
_TEXT_PARTS = {name: part.shape in (Shape.TEXT, Shape.PARAGRAPHS) for name, part in POSITION_PARTS.items()}


def unit_habits(texts: list[str]) -> UnitHabits:
    """Read the unit's position files (their YAML text, includes unresolved) for their usual shape."""
    merges: Counter[str] = Counter()
    values: Counter[tuple[str, str]] = Counter()
    items: Counter[tuple[str, str]] = Counter()
    texts_of: dict[str, Counter[str]] = {}
    keys: Counter[str] = Counter()
    places: dict[str, list[float]] = {}
    count = 0
    for text in texts:
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            continue  # `jdgen check` reports it; a skeleton can do without
        if not isinstance(root, MappingNode):
            continue
        count += 1
        for key, value in root.value:
            name = key.value
            keys[name] += 1
            if name == "<<" and _is_include(value):
                merges[value.value] += 1
            elif _is_include(value):
                values[(name, value.value)] += 1
            elif isinstance(value, SequenceNode):
                for index, item in enumerate(value.value):
                    if _is_include(item):
                        items[(name, item.value)] += 1
                        # where in the list it usually stands, from 0 (first) to 1 (last)
                        places.setdefault(item.value, []).append(index / max(len(value.value) - 1, 1))
            elif isinstance(value, ScalarNode) and _TEXT_PARTS.get(name):
                texts_of.setdefault(name, Counter())[value.value] += 1
            elif name == "extra" and isinstance(value, MappingNode):  # the agency's own values
                for extra_key, extra_value in value.value:
                    if isinstance(extra_value, ScalarNode) and not _is_include(extra_value):
                        texts_of.setdefault(f"extra.{extra_key.value}", Counter())[extra_value.value] += 1
    half = count / 2  # a habit is what more than half of the unit's positions do (list items: half)
    habits = UnitHabits(positions=count, keys={name for name, n in keys.items() if n > half})
    habits.merges = [path for path, n in merges.most_common() if n > half]
    for (name, path), n in values.items():
        if n > half and name not in habits.values:
            habits.values[name] = path
    for (name, path), n in sorted(items.items(), key=lambda entry: sum(places[entry[0][1]]) / entry[1]):
        if n >= half:  # a shared task or line half of the unit has: easily deleted where it does not fit
            habits.items.setdefault(name, []).append(path)
    for name, counter in texts_of.items():
        text, n = counter.most_common(1)[0]
        if n > half:
            habits.common[name] = text
    return habits


def _is_include(node: object) -> bool:
    return isinstance(node, ScalarNode) and node.tag == INCLUDE_TAG


def position_yaml(
    title: str,
    layout: AnnexLayout,
    habits: UnitHabits,
    unit_name: str,
    merged: frozenset[str] = frozenset(),
    extras: Extras | None = None,
) -> str:
    """The text of a new position file: every field the template prints, in the annex's order,
    written as most of the unit writes it (`merged`: the keys its usual merge includes already
    give), required fields with a placeholder, the others as comments to fill in or delete; the
    agency's own values (`extras` of organisation.yaml) with their labels."""
    printed = layout.printed
    lines = [
        f"# Ametijuhend: {title}",
        "# "
        + _("A new position of {unit}. Replace every {placeholder} and check: jdgen check THIS-FILE").format(
            unit=unit_name, placeholder=PLACEHOLDER
        ),
        "# "
        + _(
            "Written like the other {count} position(s) of the unit: their usual includes are in already."
        ).format(count=habits.positions),
        *(f"<<: !include {path}" for path in habits.merges),
    ]
    for name, part in POSITION_PARTS.items():
        required = Position.model_fields[name].is_required()
        if name == "extra" and extras is not None:
            lines += _extra_lines(extras.position, layout, "extra" in merged, habits)
        elif name == "stub":  # written by `jdgen import` only
            continue
        elif name not in merged and (
            required or not printed or name in printed or part.shape is Shape.FLAG or name == "title_genitive"
        ):
            lines += _field_lines(name, part, title, layout, habits, extras)
    return "\n".join(lines) + "\n"


def _extra_lines(
    declared: dict[str, ExtraValue], layout: AnnexLayout, merged: bool, habits: UnitHabits
) -> list[str]:
    """The agency's own values: as most of the unit writes them, else required ones with a
    placeholder and the others as comments."""
    if not declared:
        return []
    if merged:  # the unit's usual merge include gives them
        given = ", ".join(
            f"{name} ({value.label or layout.label(f'extra.{name}')})" for name, value in declared.items()
        )
        return [f"# extra: {given}: " + _("given by the include merged above")]
    lines = []
    for name, value in declared.items():
        label = value.label or layout.label(f"extra.{name}")
        common = habits.common.get(f"extra.{name}")
        if common is not None:
            lines.append(f"  {name}: {yaml_scalar(common)}  # {label}: " + _("as in most of the unit"))
            continue
        example = _EXTRA_EXAMPLES[value.type]
        lines.append(f"  {'' if value.required else '# '}{name}: {example}  # {label}")
    written = any(not line.startswith("  #") for line in lines)  # else `extra:` alone would be empty
    return [
        f"{'' if written else '# '}extra:  # "
        + _("the agency's own values (organisation.yaml, extras.position)"),
        *lines,
    ]


# How an extra value of each type is started in a new file.
_EXTRA_EXAMPLES = {
    "text": PLACEHOLDER,
    "paragraphs": PLACEHOLDER,
    "date": "YYYY-MM-DD",
    "number": "0",
    "flag": "true",
}


def _field_lines(
    name: str, part: Part, title: str, layout: AnnexLayout, habits: UnitHabits, extras: Extras | None
) -> list[str]:
    label = layout.label(name)
    required = Position.model_fields[name].is_required()
    if name == "title":
        return [f"title: {yaml_scalar(title)}  # {label}"]
    if name in habits.values:
        return [f"{name}: !include {habits.values[name]}  # {label}"]
    if part.shape is Shape.TASKS:
        results = [f"    results:  # {layout.results_label or _('results')}", f"      - {PLACEHOLDER}"]
        task_extras = [
            f"    {'' if value.required else '# '}extra: {{{key}: {_EXTRA_EXAMPLES[value.type]}}}"
            f"  # {value.label or key}"
            for key, value in (extras.task if extras else {}).items()
        ]
        return [
            f"{name}:  # {label}, " + _("in order; numbers are derived"),
            f"  - task: {PLACEHOLDER}",
            *(results if layout.results else []),
            *task_extras,
            *(f"  - !include {path}" for path in habits.items.get(name, [])),
        ]
    if part.shape is Shape.VALUES:
        return [f"# {name}: {{}}  # " + _("values of your own template, if it uses any (optional)")]
    if part.shape is Shape.ROWS:
        example = f"[{{label: {PLACEHOLDER}, text: {PLACEHOLDER}, after: reports_to}}]"
        return [f"# {name}: {example}  # " + _("rows the template has no label for (optional)")]
    if part.shape is Shape.FLAG:
        return [f"# {name}: true  # " + _described(Position.model_fields[name].description)]
    if name in habits.common:
        return [f"{name}: {yaml_scalar(habits.common[name])}  # {label}: " + _("as in most of the unit")]
    if part.shape is Shape.TEXT:
        if required or name in habits.keys:
            return [f"{name}: {PLACEHOLDER}  # {label}"]
        return [f"# {name}: {PLACEHOLDER}  # {label} " + _("(optional)")]
    if required:
        return [f"{name}: {PLACEHOLDER}  # {label}: " + _("one or more paragraphs")]
    if name in habits.items or name in habits.keys:
        includes = habits.items.get(name, [])
        return [f"{name}:  # {label}", f"  - {PLACEHOLDER}", *(f"  - !include {path}" for path in includes)]
    return [f"# {name}:  # {label} " + _("(optional)"), f"#   - {PLACEHOLDER}"]


def directive_yaml(title: str, unit: str, positions: list[str], unit_name: str) -> str:
    """The text of a new directive approving `positions` (in this order) of one unit: every field of
    the format in order, the optional ones as comments saying what they hold (the model's words)."""
    lines = [
        "# " + _("Directive approving job descriptions of {unit}.").format(unit=unit_name),
        "# "
        + _("Without number and date it builds as a draft: the document register assigns them at signing."),
    ]
    for name, part in DIRECTIVE_PARTS.items():
        about = _described(Directive.model_fields[name].description)
        if part.shape is Shape.PATHS:
            lines += [f"{name}:  # {about}", *(f"  - {path}" for path in positions)]
        elif name == "title":
            lines.append(f"title: {yaml_scalar(title)}")
        elif name == "unit":
            lines.append(f"unit: {unit}")
        else:
            lines += [f"# {name}:{_EXAMPLES.get(part.shape, f' {PLACEHOLDER}')}  # {about}"]
    return "\n".join(lines) + "\n"


# How an optional value of each shape is started in a new file (after `key:`).
_EXAMPLES = {
    Shape.DATE: " YYYY-MM-DD",
    Shape.REPEALS: f" [{{date: YYYY-MM-DD, number: {PLACEHOLDER}, title: {PLACEHOLDER}}}]",
    Shape.ITEMS: f" [{PLACEHOLDER}]",
    Shape.PERSON: f" {{name: {PLACEHOLDER}, title: {PLACEHOLDER}}}",
    Shape.VALUES: " {}",
}


def file_name(title: str) -> str:
    """A file name from a title: `Peaspetsialist (järelevalve)` -> `peaspetsialist-jarelevalve`."""
    letters = str.maketrans("õäöüšžÕÄÖÜŠŽ", "oaouszOAOUSZ")
    slug = re.sub(r"[^a-z0-9]+", "-", title.translate(letters).lower()).strip("-")
    if len(slug) > MAX_NAME:  # a file name has at most 255 bytes: cut at a word
        slug = slug[: MAX_NAME + 1].rsplit("-", 1)[0] or slug[:MAX_NAME]
    return slug or "ametikoht"


MAX_NAME = 80  # characters of a file name made from a title


def _described(description: str | None) -> str:
    """A field's description (the model's words, marked `N_`) in HR's language; gettext's "" would
    be the catalog's header."""
    return _(description) if description else ""
