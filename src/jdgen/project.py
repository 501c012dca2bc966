"""A jdgen project folder: find its files, validate them against the model, report every problem.

Layout: `organisation.yaml` at the root, `directives/*.yaml`, and `positions/` with one YAML file per
position in a folder per unit (`_unit.yaml` names the unit). Files and folders whose names start with
`_` are not positions: they hold units and the shared includes.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from . import review
from .errors import JdgenError, Location, Problem
from .load import Loaded, ProjectFiles, key_path_text
from .model import Annex, Directive, DirectiveSources, Organisation, Position, Unit

ORGANISATION_FILE = "organisation.yaml"
UNIT_FILE = "_unit.yaml"
DIRECTIVES_DIR = "directives"
POSITIONS_DIR = "positions"

M = TypeVar("M", bound=BaseModel)


def kind_of(rel: str) -> str:
    """What a project file is, by where it lives: directive, position, unit, include or organisation."""
    parts = rel.split("/")
    if parts[-1] == UNIT_FILE:
        return "unit"
    if any(part.startswith("_") for part in parts):
        return "include"
    if parts[0] == DIRECTIVES_DIR:
        return "directive"
    if parts[-1] == ORGANISATION_FILE:
        return "organisation"
    return "position"


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` that holds organisation.yaml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / ORGANISATION_FILE).is_file():
            return folder
    raise JdgenError.at(
        start,
        f"no {ORGANISATION_FILE} here or in any folder above",
        hint="run jdgen inside a project folder, or pass --project DIR",
    )


class Project:
    """Reads and validates the files of one project; every file is read once."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.files = ProjectFiles(self.root)
        self._models: dict[str, Any] = {}
        self._reviewed: set[str] = set()
        self._titles: dict[str, list[str] | None] = {}
        self._unit_folders: dict[str, str] = {}
        self._sources: dict[str, frozenset[str]] = {}

    @property
    def problems(self) -> list[Problem]:
        return self.files.problems

    # -- what is there -------------------------------------------------------------------------

    def directive_files(self) -> list[str]:
        return self._yaml_under(DIRECTIVES_DIR)

    @functools.cached_property
    def _position_files(self) -> list[str]:
        return self._yaml_under(POSITIONS_DIR)

    def position_files(self) -> list[str]:
        return list(self._position_files)

    def _yaml_under(self, folder: str) -> list[str]:
        base = self.root / folder
        found = []
        for path in base.rglob("*"):
            rel = path.relative_to(self.root)
            if path.suffix not in (".yaml", ".yml") or any(p.startswith((".", "_")) for p in rel.parts):
                continue
            if path.is_file():
                found.append(rel.as_posix())
            elif path.is_symlink():
                self.problems.append(
                    Problem(
                        Location(rel.as_posix()),
                        "this is a link to a file that does not exist",
                        hint="delete the link, or point it at the file again",
                        warning=True,
                    )
                )
        return sorted(found)

    # -- reading and validating ----------------------------------------------------------------

    def organisation(self) -> Organisation | None:
        return self._validated(ORGANISATION_FILE, Organisation)

    def position(self, rel: str) -> Position | None:
        return self._validated(rel, Position)

    def directive(self, rel: str) -> Directive | None:
        return self._validated(rel, Directive)

    def unit(self, rel: str) -> Unit | None:
        return self._validated(rel, Unit)

    def unit_of(self, rel: str) -> tuple[str, Unit | None]:
        """The unit a position belongs to: the nearest `_unit.yaml` in its folder or above."""
        folder = Path(rel).parent
        if folder.as_posix() in self._unit_folders:
            unit_dir = self._unit_folders[folder.as_posix()]
            return unit_dir, self._validated(f"{unit_dir}/{UNIT_FILE}", Unit)
        found = self._find_unit(rel)
        if found[1] is not None:
            self._unit_folders[folder.as_posix()] = found[0]
        return found

    def _find_unit(self, rel: str) -> tuple[str, Unit | None]:
        folder = Path(rel).parent
        while folder != Path(".") and folder.parts:
            candidate = (folder / UNIT_FILE).as_posix()
            if (self.root / candidate).is_file():
                return folder.as_posix(), self._validated(candidate, Unit)
            folder = folder.parent
        self.problems.append(
            Problem(
                Location(rel, 1, 1),
                f"no {UNIT_FILE} in the folder of this position or above it",
                hint=f"add {Path(rel).parent.as_posix()}/{UNIT_FILE} with the unit's name and genitive",
            )
        )
        return "", None

    def _validated(self, rel: str, model: type[M]) -> M | None:
        if rel not in self._models:
            loaded = self.files.read(rel)
            self._models[rel] = None if loaded is None else self._validate(loaded, model)
            self._sources[rel] = loaded.files if loaded is not None else self.files.mentioned_by(rel)
            if model is Position:
                # A thousand positions' YAML nodes are most of the memory of a large build; the
                # model is kept, and the file is read again if a problem needs its line numbers.
                self.files.forget(rel)
        return self._models[rel]

    def _validate(self, loaded: Loaded, model: type[M]) -> M | None:
        try:
            return model.model_validate(loaded.data)
        except ValidationError as exc:
            for error in exc.errors():
                self.problems.append(_problem(error, loaded, model))
            return None

    # -- a whole directive ---------------------------------------------------------------------

    def directive_sources(self, rel: str) -> DirectiveSources | None:
        """Validate a directive with its organisation, unit and positions; None if anything is wrong."""
        organisation = self.organisation()
        directive = self.directive(rel)
        if directive is None:
            return None
        locate = self.files.locator(rel)
        files = self._files_of(rel) | self._files_of(ORGANISATION_FILE)
        errors_before = len(self.errors)
        complete = True

        unit_folder = self.files.resolve_reference(directive.unit, locate(("unit",)), "unit")
        unit = None
        if unit_folder is not None:
            unit_file = f"{unit_folder}/{UNIT_FILE}"
            if (self.root / unit_file).is_file():
                unit = self._validated(unit_file, Unit)
                files |= self._files_of(unit_file)
            else:
                self.problems.append(
                    Problem(
                        locate(("unit",)),
                        f"no unit folder with {UNIT_FILE} at {unit_folder}",
                        "unit",
                        "name the folder of the unit, e.g. positions/osakond/talitus",
                    )
                )

        annexes = []
        seen: dict[str, int] = {}
        for index, path in enumerate(directive.annexes):
            at = locate(("annexes", index))
            target = self.files.resolve_reference(path, at, "annex")
            if target is None:
                continue
            if target in seen:
                self.problems.append(
                    Problem(
                        at,
                        f"{target} is already Lisa {seen[target]}",
                        f"annexes[{index + 1}]",
                        "list each position once",
                    )
                )
                continue
            seen[target] = index + 1
            if not (self.root / target).is_file():
                self.problems.append(
                    Problem(
                        at,
                        f"no position file {target}",
                        f"annexes[{index + 1}]",
                        "check the path; `jdgen list` shows the positions",
                    )
                )
                continue
            position = self.position(target)
            unit_dir, position_unit = self.unit_of(target)
            files |= self._files_of(target) | self._files_of(f"{unit_dir}/{UNIT_FILE}")
            if position is None or position_unit is None:
                complete = False
            else:
                annexes.append(Annex(target, position, position_unit))

        self._report(review.repeal_dates(directive, locate))
        self._report(review.similar_titles([a.position.title for a in annexes], locate))
        if organisation is None or unit is None or not complete or len(self.errors) > errors_before:
            return None
        return DirectiveSources(rel, directive, organisation, unit, tuple(annexes), frozenset(files))

    def _files_of(self, rel: str) -> set[str]:
        """Every file `rel` was built from: itself and its includes, at any depth."""
        if rel not in self._sources:
            loaded = self.files.read(rel) if (self.root / rel).is_file() else None
            self._sources[rel] = loaded.files if loaded else self.files.mentioned_by(rel)
        return set(self._sources[rel])

    # -- reviewer's checks ----------------------------------------------------------------------

    def review_position(self, rel: str) -> None:
        """Cross-field checks of one valid position (each position once)."""
        if rel in self._reviewed:
            return
        self._reviewed.add(rel)
        position = self.position(rel)
        unit_dir, unit = self.unit_of(rel)
        if position is None or unit is None:
            return
        titles = self._unit_titles(unit_dir)
        if titles is not None:  # with a position of the unit unreadable, a title may be missing
            self._report(review.substitutes(position, titles, self.files.locator(rel)))

    def _unit_titles(self, unit_dir: str) -> list[str] | None:
        """The titles of the unit's positions; None if one of them is not valid."""
        if unit_dir not in self._titles:
            positions = [self.position(n) for n in self.position_files() if n.startswith(f"{unit_dir}/")]
            complete = None not in positions
            self._titles[unit_dir] = [p.title for p in positions if p is not None] if complete else None
        return self._titles[unit_dir]

    def unused_includes(self) -> None:
        """Warn about shared files that no position, directive or organisation file uses."""
        used: set[str] = set()
        for name in [ORGANISATION_FILE, *self.directive_files(), *self.position_files()]:
            used |= self._files_of(name)
        for name in self.include_files():
            if name not in used:
                self.problems.append(
                    Problem(
                        Location(name, 1, 1),
                        "this shared file is not included by any position or directive",
                        hint="include it where it belongs, or delete it",
                        warning=True,
                    )
                )

    def include_files(self) -> list[str]:
        """YAML files in `_`-folders under positions/: the shared includes."""
        base = self.root / POSITIONS_DIR
        return sorted(
            path.relative_to(self.root).as_posix()
            for path in base.rglob("*")
            if path.suffix in (".yaml", ".yml")
            and path.is_file()
            and path.name != UNIT_FILE
            and any(part.startswith("_") for part in path.relative_to(base).parts)
        )

    def _report(self, problems: list[Problem]) -> None:
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]


_TYPE_NAMES = {
    str: "text",
    list: "a list",
    dict: "a mapping of keys",
    bool: "true/false",
    int: "a number",
    float: "a number",
    type(None): "nothing (an empty value)",
}


def _kind(value: Any) -> str:
    for cls, name in _TYPE_NAMES.items():
        if type(value) is cls:
            return name
    return type(value).__name__


def _problem(error: ErrorDetails, loaded: Loaded, model: type[BaseModel]) -> Problem:
    path = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    key_path = key_path_text(path)
    hint = ""
    if kind == "extra_forbidden":
        known = _fields_at(model, path[:-1])
        close = difflib.get_close_matches(str(path[-1]), known, n=1, cutoff=0.6)
        message = f"unknown key {path[-1]!r}"
        hint = f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(known)}"
        return Problem(loaded.location(path, key=True), message, key_path, hint)
    if kind == "missing":
        message = "this required key is missing"
        hint = f"add `{path[-1]}:` (see `jdgen schema` or the README for what it holds)"
        return Problem(loaded.location(path[:-1]), message, key_path, hint)
    if kind in ("string_type", "string_sub_type"):
        message = f"expected text, got {_kind(value)}"
        if value == [None]:
            hint = 'a lone - starts a list in YAML; write it in quotes: "-"'
        elif isinstance(value, list | dict):
            hint = "write the text on one line after the key, or as a block with >-"
    elif kind == "list_type":
        message = f"expected a list, got {_kind(value)}"
        hint = "write each item on its own line starting with '- '"
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        message = f"expected a mapping of keys, got {_kind(value)}"
        hint = "write `key: value` lines, indented under this one"
    elif kind == "string_too_short":
        message = "must not be empty"
        hint = "write the text, or remove the key"
    elif kind == "too_short":
        message = "needs at least one item"
        hint = "add an item starting with '- '"
    elif kind.startswith("date") and isinstance(value, dt.datetime):
        message = f"expected a day, got a day with a time of day ({value:%Y-%m-%d %H:%M:%S})"
        hint = f"write only the day: {value:%Y-%m-%d}"
    elif kind.startswith("date"):
        message = f"expected a date, got {value!r}"
        hint = "write it as YYYY-MM-DD, e.g. 2024-12-13"
    elif kind == "string_pattern_mismatch":
        message = f"{value!r} is not written as expected"
        hint = _description(model, path) or "see `jdgen schema` for the form"
    elif kind.startswith("bool"):
        message = f"expected true or false, got {value!r}"
    else:
        message = error["msg"]
    return Problem(loaded.location(path), message, key_path, hint)


def _description(model: type[BaseModel], path: tuple) -> str:
    """The description of the field at `path`, from the model."""
    names = [part for part in path if not isinstance(part, int)]
    current: Any = model
    for name in names[:-1]:
        field = getattr(current, "model_fields", {}).get(name)
        current = _model_in(field.annotation) if field is not None else None
    field = getattr(current, "model_fields", {}).get(names[-1]) if names else None
    return (field.description or "") if field is not None else ""


def _fields_at(model: type[BaseModel], path: tuple) -> list[str]:
    """Field names of the model found at `path` (following nested models and lists)."""
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return []
        current = _model_in(field.annotation)
    return sorted(getattr(current, "model_fields", {}))


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None
