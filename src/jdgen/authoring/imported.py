"""Imported text as YAML files: text that is a shared include becomes `!include` of it.

`Writer` turns what `published` read of an annex into position YAML. A value, task or knowledge
line with the same words as a shared include (punctuation and spacing aside) is written as an
`!include` of it, a position whose values match a mapping include merges it with `<<:`, and text
that is nearly an include (>= 90 % of the words) is written out and reported with a word diff, for
HR to decide whether it is an override or a new include.
`placement` says where the imported files go: the folder of each annex's own unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..document.layout import AnnexLayout
from ..format.model import Directive, Position, Shape, parts
from ..format.yamltext import yaml_scalar
from ..i18n import _
from .annextext import PublishedAnnex, PublishedTask
from .published import PublishedDirective
from .skeleton import PLACEHOLDER, file_name
from .textdiff import alike, word_diff

NEAR = 0.9  # share of equal words that makes a near match worth reporting
POSITION_PARTS = parts(Position)
DIRECTIVE_PARTS = parts(Directive)


# -- includes ----------------------------------------------------------------------------------


def words(value: Any) -> list[str]:
    """The words of a value (any nesting), punctuation aside: what "the same text" means here."""
    if isinstance(value, dict):
        return [w for key in ("task", "results") if key in value for w in words(value[key])] or [
            w for v in value.values() for w in words(v)
        ]
    if isinstance(value, list):
        return [w for item in value for w in words(item)]
    return re.findall(r"\w+", str(value))


@dataclass
class Include:
    path: str
    value: Any


# -- writing YAML ------------------------------------------------------------------------------


class Writer:
    """Turns a published annex into position YAML, preferring includes; collects near matches."""

    def __init__(self, includes: list[Include], required_extras: tuple[str, ...] = ()) -> None:
        self.includes = includes
        self.required_extras = required_extras  # the agency's own values every position gives
        self.near: list[str] = []
        self.used: set[str] = set()

    def _exact(self, value_words: list[str], kinds: tuple[type, ...]) -> Include | None:
        for include in self.includes:
            if isinstance(include.value, kinds) and words(include.value) == value_words:
                return include
        return None

    def _near(self, where: str, text: str, kinds: tuple[type, ...]) -> None:
        value_words = words(text)
        for include in self.includes:
            if not isinstance(include.value, kinds):
                continue
            include_words = words(include.value)
            if abs(len(include_words) - len(value_words)) > 0.2 * max(len(value_words), 1):
                continue
            if alike(include_words, value_words) >= NEAR:
                shown = " ".join(include_words)
                said = _("{where} is nearly {path}: {difference}")
                difference = word_diff(shown, " ".join(value_words))
                self.near.append(said.format(where=where, path=include.path, difference=difference))
                return

    def position_yaml(self, annex: PublishedAnnex, layout: AnnexLayout, name: str) -> str:
        shown = annex.fields.keys() - {"title", "unit", "title_genitive"} or annex.tasks
        if annex.stub and not shown:
            return _stub_yaml(annex.fields, self.required_extras, layout.results)
        values: dict[str, Any] = {k: v for k, v in annex.fields.items() if v and not k.startswith("extra.")}
        placeholders = [k for k, v in annex.fields.items() if not v and not k.startswith("extra.")]
        if annex.stub:  # partly shown: what it shows, and a placeholder for what a position must give
            placeholders += [k for k in annex.missing if k != "tasks"]
            values |= dict.fromkeys(placeholders, PLACEHOLDER)
        values.pop("unit", None)
        extra = {k.removeprefix("extra."): v for k, v in annex.fields.items() if v and k.startswith("extra.")}
        if extra:
            values["extra"] = extra
        if annex.trailing:
            values["review"] = " ".join(annex.trailing)
        if annex.rows:
            values["rows"] = annex.rows
        lines = [
            f"# Ametijuhend: {values.get('title', '')}",
            "# " + _("Imported by jdgen import; check it with jdgen check."),
        ]
        if annex.stub:
            lines += [
                "# " + _("The published text shows only the start of this annex."),
                "# " + _("Fill it in from the signed original, then delete `stub: true`."),
                "stub: true",
            ]
        # a merge include whose keys the position repeats: `<<: !include …`, differing keys stay
        merged: set[str] = set()
        for include in self.includes:
            if not isinstance(include.value, dict) or "task" in include.value:
                continue
            same = [
                k
                for k, v in include.value.items()
                if k in values and words(v) == words(self._field_text(k, values[k]))
            ]
            if same and len(same) * 2 >= len(include.value):
                lines.append(f"<<: !include {include.path}")
                self.used.add(include.path)
                merged |= set(same)
                break
        for key, part in POSITION_PARTS.items():
            if key in merged or (key not in values and part.shape is not Shape.TASKS):
                continue
            where = f"{name} {layout.label(key)}"
            if part.shape is Shape.TASKS:
                lines += self._tasks(annex, name, layout.results)
            elif part.shape is Shape.ROWS:
                lines += [f"{key}:", *(f"  - {_flow(row)}" for row in values[key])]
            elif part.shape is Shape.VALUES:  # the agency's own values: one text each
                lines += [f"{key}:", *(f"  {k}: {yaml_scalar(v)}" for k, v in values[key].items())]
            elif part.shape is Shape.TEXT:
                found = self._exact(words(values[key]), (str,))
                self.used |= {found.path} if found else set()
                lines.append(
                    f"{key}: !include {found.path}" if found else f"{key}: {yaml_scalar(values[key])}"
                )
            else:
                lines += self._value(key, values[key], where)
        return "\n".join(lines) + "\n"

    def _tasks(self, annex: PublishedAnnex, name: str, results: bool) -> list[str]:
        lines = ["tasks:"]
        if not annex.tasks:  # a stub's: one to fill in
            return [
                *lines,
                f"  - task: {PLACEHOLDER}",
                *([f"    results: [{PLACEHOLDER}]"] if results else []),
            ]
        shared = self._task_lists()
        skip = 0
        for index, task in enumerate(annex.tasks, 1):
            if skip:
                skip -= 1
                continue
            run = next((inc for inc in shared if self._starts_run(annex.tasks[index - 1 :], inc.value)), None)
            if run is not None:  # a shared list of tasks, all of them here in its order
                self.used.add(run.path)
                lines.append(f"  - !include {run.path}")
                skip = len(run.value) - 1
                continue
            whole = {
                "task": task.task,
                "results": task.results,
                **({"extra": task.extra} if task.extra else {}),
            }
            found = self._exact(words(whole), (dict,))
            if found:
                self.used.add(found.path)
                lines.append(f"  - !include {found.path}")
                continue
            where = _("{annex} task {number}").format(annex=name, number=index)
            self._near(where, " ".join([task.task, *task.results]), (dict,))
            lines.append(f"  - task: {yaml_scalar(task.task)}")
            if not task.numbered:
                lines.append("    numbered: false")
            if results or task.results:  # where the template prints results, every task has them
                lines.append("    results:")
                lines += [f"      - {yaml_scalar(result)}" for result in task.results or ["…"]]
            if task.extra:  # the agency's own columns ("Tegevused ülesannete täitmiseks")
                lines.append("    extra:")
                for key, texts in task.extra.items():
                    lines += [f"      {key}:", *(f"        - {yaml_scalar(text)}" for text in texts)]
        return lines

    def _task_lists(self) -> list[Include]:
        """The includes that hold a list of tasks, the longest first."""
        lists = [
            inc
            for inc in self.includes
            if isinstance(inc.value, list) and len(inc.value) > 1
            and all(isinstance(item, dict) and "task" in item for item in inc.value)
        ]  # fmt: skip
        return sorted(lists, key=lambda inc: -len(inc.value))

    @staticmethod
    def _starts_run(tasks: list[PublishedTask], shared: list[dict[str, Any]]) -> bool:
        """Whether `tasks` begin with the shared tasks, word for word, in their order."""
        return len(tasks) >= len(shared) and all(
            words({"task": task.task, "results": task.results}) == words(item)
            for task, item in zip(tasks, shared, strict=False)
        )

    @staticmethod
    def _field_text(key: str, text: str) -> Any:
        part = POSITION_PARTS.get(key)
        if part is not None and part.shape is Shape.CLAUSES:  # printed joined with "; " and ended with "."
            return [clause.strip() for clause in text.rstrip(".").split("; ")]
        return text

    def _value(self, key: str, text: str, where: str) -> list[str]:
        value = self._field_text(key, text)
        found = self._exact(words(value), (str, list))
        if found:
            self.used.add(found.path)
            return [f"{key}: !include {found.path}"]
        if isinstance(value, list):
            self._near(where, text, (list,))
            return [f"{key}:", *(f"  - {yaml_scalar(clause)}" for clause in value)]
        # list items that are includes, spliced where they stand in the text
        items = self._split_on_includes(text)
        if len(items) == 1 and not items[0][1]:
            self._near(where, text, (str, list))
            return [f"{key}: {yaml_scalar(text)}"]
        out = [f"{key}:"]
        for item, is_include in items:
            out.append(f"  - !include {item}" if is_include else f"  - {yaml_scalar(item)}")
        return out

    def _split_on_includes(self, text: str) -> list[tuple[str, bool]]:
        """`text` as list items: the parts that are an include's text become that include."""
        pieces: list[tuple[str, bool]] = [(" ".join(text.split()), False)]
        for include in self.includes:
            value = include.value
            if isinstance(value, list) and all(isinstance(item, str) for item in value):
                needle = " ".join(" ".join(value).split())
            elif isinstance(value, str):
                needle = " ".join(value.split())
            else:
                continue
            if len(needle.split()) < 4:
                continue
            split: list[tuple[str, bool]] = []
            for piece, is_include in pieces:
                if is_include or needle not in piece:
                    split.append((piece, is_include))
                    continue
                before, _needle, after = piece.partition(needle)
                split += [(before.strip(), False)] if before.strip() else []
                split.append((include.path, True))
                split += [(after.strip(), False)] if after.strip() else []
                self.used.add(include.path)
            pieces = split
        return pieces


def _stub_yaml(fields: dict[str, str], required_extras: tuple[str, ...], results: bool) -> str:
    """A position of which the published text gave point 1's item only, marked as a stub."""
    lines = [
        f"# Ametijuhend: {fields.get('title', PLACEHOLDER)}",
        "# " + _("Imported by jdgen import: the published text had no body for this annex."),
        "# " + _("Fill it in from the signed original, then delete `stub: true`."),
        "stub: true",
        f"title: {yaml_scalar(fields.get('title', PLACEHOLDER))}",
        *([f"title_genitive: {yaml_scalar(fields['title_genitive'])}"] if "title_genitive" in fields else []),
        *(
            [f"title_genitive: {PLACEHOLDER}"] if "title" not in fields else []
        ),  # for a template that inflects it
        "reports_to: …",
        "purpose: …",
        "tasks:",
        "  - task: …",
        *(["    results: […]"] if results else []),
        *(["extra:", *(f"  {name}: …" for name in required_extras)] if required_extras else []),
    ]
    return "\n".join(lines) + "\n"


def _flow(value: Any) -> str:
    """A value as YAML on one line: `{date: 2024-03-12, number: '45', annexes: [1, 2]}`."""
    return yaml.safe_dump(
        value, default_flow_style=True, allow_unicode=True, width=10_000, sort_keys=False
    ).strip()


def directive_yaml(read: PublishedDirective, unit: str, positions: list[str]) -> str:
    """The directive's YAML: every field that was read, in the order of the format."""
    # every field of the format that the published text gave (PublishedDirective names them alike)
    values: dict[str, Any] = {name: getattr(read, name, None) for name in DIRECTIVE_PARTS}
    values |= {"title": read.title or "…", "unit": unit, "annexes": positions}
    lines = ["# " + _("Imported by jdgen import; check it with jdgen check.")]
    for key, part in DIRECTIVE_PARTS.items():
        value = values.get(key)
        if not value:
            continue
        if part.shape in (Shape.PATHS, Shape.ITEMS):
            lines += [f"{key}:", *(f"  - {_flow(item) if isinstance(item, dict) else yaml_scalar(item)}"
                                   for item in value)]  # fmt: skip
        elif part.shape is Shape.REPEALS:
            lines += [f"{key}:", *(f"  - {_flow(repeal)}" for repeal in value)]
        elif isinstance(value, dict):  # the signer, the wording, a point's own words
            lines += [f"{key}:", *(f"  {k}: {str(v).lower() if isinstance(v, bool) else yaml_scalar(v)}"
                                   for k, v in value.items())]  # fmt: skip
        elif key == "number" and str(value).isdigit():  # a number as typed: `number: 177`
            lines.append(f"{key}: {value}")
        elif part.shape is Shape.DATE:
            lines.append(f"{key}: {value.isoformat()}")
        else:
            lines.append(f"{key}: {yaml_scalar(value)}")
    return "\n".join(lines) + "\n"


# -- where the imported files go ---------------------------------------------------------


@dataclass
class Placement:
    """Where the imported annexes go: a folder per unit name (lower case), the unit files to write
    (folder -> name), and the folder of the unit the directive approves."""

    folders: dict[str, str]
    new_units: dict[str, str]
    directive_unit: str


def placement(read: PublishedDirective, unit_dir: str, existing_units: dict[str, str]) -> Placement:
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
        new = {} if here is not None else {unit_dir: own[0] if own else PLACEHOLDER}
        return Placement({}, new, unit_dir)
    folders, new_units = {}, {} if here is not None else {unit_dir: outer or PLACEHOLDER}
    for name in own:
        found = next((f for f, n in existing.items() if n == name.lower() and f != unit_dir), None)
        folders[name.lower()] = found or f"{unit_dir}/{file_name(name)}"
        if found is None:
            new_units[folders[name.lower()]] = name
    return Placement(folders, new_units, folders[own[0].lower()] if len(own) == 1 else unit_dir)


def _is_own(here: str | None, unit_dir: str, name: str) -> bool:
    """Whether `unit_dir` is the unit `name`: by its `_unit.yaml`, or (a new folder) by its name."""
    return here == name.lower() if here is not None else Path(unit_dir).name == file_name(name)
