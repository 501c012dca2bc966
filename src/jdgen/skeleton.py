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

from .layout import AnnexLayout
from .load import INCLUDE_TAG
from .yamltext import yaml_scalar

PLACEHOLDER = "…"
# A position's fields in the order of the annex; the required ones are always written.
_SINGLE_FIELDS = ("reports_to", "subordinates", "substitutes", "substituted_by")
_LIST_FIELDS = ("education", "experience", "languages", "knowledge")


@dataclass
class UnitHabits:
    """How the positions of a unit are usually written: includes used by at least half of them."""

    positions: int = 0
    merges: list[str] = field(default_factory=list)  # `<<: !include …`
    values: dict[str, str] = field(default_factory=dict)  # `key: !include …`
    items: dict[str, list[str]] = field(default_factory=dict)  # `key: [- !include …]`
    common: dict[str, str] = field(default_factory=dict)  # the same text in most positions


def unit_habits(texts: list[str]) -> UnitHabits:
    """Read the unit's position files (their YAML text, includes unresolved) for their usual shape."""
    merges: Counter[str] = Counter()
    values: Counter[tuple[str, str]] = Counter()
    items: Counter[tuple[str, str]] = Counter()
    texts_of: dict[str, Counter[str]] = {}
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
            elif isinstance(value, ScalarNode) and name in _SINGLE_FIELDS:
                texts_of.setdefault(name, Counter())[value.value] += 1
    half = count / 2
    habits = UnitHabits(positions=count)
    habits.merges = [path for path, n in merges.most_common() if n >= half]
    for (name, path), n in values.items():
        if n >= half and name not in habits.values:
            habits.values[name] = path
    for (name, path), n in sorted(items.items(), key=lambda entry: sum(places[entry[0][1]]) / entry[1]):
        if n >= half:
            habits.items.setdefault(name, []).append(path)
    for name, counter in texts_of.items():
        text, n = counter.most_common(1)[0]
        if n >= half:
            habits.common[name] = text
    return habits


def _is_include(node: object) -> bool:
    return isinstance(node, ScalarNode) and node.tag == INCLUDE_TAG


def position_yaml(title: str, layout: AnnexLayout, habits: UnitHabits, unit_name: str) -> str:
    """The text of a new position file."""
    label = layout.label
    lines = [
        f"# Ametijuhend: {title}",
        f"# A new position of {unit_name}. Replace every {PLACEHOLDER} and check: jdgen check THIS-FILE",
        f"# Written like the other {habits.positions} position(s) of the unit: their usual includes "
        "are in already.",
    ]
    for path in habits.merges:
        lines.append(f"<<: !include {path}")
    lines.append(f"title: {yaml_scalar(title)}  # {label('title')}")
    for name in _SINGLE_FIELDS:
        if name in habits.values:
            lines.append(f"{name}: !include {habits.values[name]}  # {label(name)}")
        elif name in habits.common:
            lines.append(
                f"{name}: {yaml_scalar(habits.common[name])}  # {label(name)}: as in most of the unit"
            )
        elif name == "reports_to":
            lines.append(f"{name}: {PLACEHOLDER}  # {label(name)}")
        else:
            lines.append(f"# {name}: {PLACEHOLDER}  # {label(name)} (optional)")
    lines.append(f"purpose: {PLACEHOLDER}  # {label('purpose')}: one or more paragraphs")
    lines.append(f"tasks:  # {label('tasks')}, in order; numbers 2.1, 2.2, … are derived")
    lines.append(f"  - task: {PLACEHOLDER}")
    lines.append(f"    results:  # {layout.results_label or 'results'}")
    lines.append(f"      - {PLACEHOLDER}")
    for path in habits.items.get("tasks", []):
        lines.append(f"  - !include {path}")
    for name in _LIST_FIELDS:
        if name in habits.values:
            lines.append(f"{name}: !include {habits.values[name]}  # {label(name)}")
        elif name in habits.items:
            lines.append(f"{name}:  # {label(name)}")
            lines.append(f"  - {PLACEHOLDER}")
            lines.extend(f"  - !include {path}" for path in habits.items[name])
        else:
            lines.append(f"{name}:  # {label(name)}")
            lines.append(f"  - {PLACEHOLDER}")
    return "\n".join(lines) + "\n"


def directive_yaml(title: str, unit: str, positions: list[str], unit_name: str) -> str:
    """The text of a new directive approving `positions` (in this order) of one unit."""
    lines = [
        f"# Directive approving job descriptions of {unit_name}.",
        "# Without number and date it builds as a draft: the document register assigns them at signing.",
        "# number: …",
        "# date: YYYY-MM-DD",
        f"title: {yaml_scalar(title)}",
        f"unit: {unit}",
        "annexes:  # in order: the first is Lisa 1",
        *(f"  - {path}" for path in positions),
        "# repeals:  # earlier directives this one repeals (Tunnistan kehtetuks …)",
        "#   - {date: YYYY-MM-DD, number: …, title: …}",
        "# in_force: YYYY-MM-DD  # leave out for entry into force on signing",
    ]
    return "\n".join(lines) + "\n"


def file_name(title: str) -> str:
    """A file name from a title: `Peaspetsialist (järelevalve)` -> `peaspetsialist-jarelevalve`."""
    letters = str.maketrans("õäöüšžÕÄÖÜŠŽ", "oaouszOAOUSZ")
    slug = re.sub(r"[^a-z0-9]+", "-", title.translate(letters).lower()).strip("-")
    return slug or "ametikoht"
