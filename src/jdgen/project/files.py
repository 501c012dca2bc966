"""The first stage of every run: a project's files read and validated against the model, each
once, every problem reported. A position's nodes are released as soon as it is validated and its
own reviewer's checks have placed their problems; what is checked of it later points at the
places kept of its keys. Where the files live, and what each one is by its place, is `folders`'s;
a directive put together from them is `assembly`'s, and the checks across files `reviewing`'s."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .. import progress
from ..errors import JdgenError, Location, Problem, UsageError
from ..format import review
from ..format.extras import KIND_OF_MODEL, checked_extras
from ..format.folders import DIRECTIVES_DIR, ORGANISATION_FILE, POSITIONS_DIR, UNIT_FILE, yaml_files
from ..format.load import ProjectFiles
from ..format.located import Loaded
from ..format.model import Directive, Organisation, Position, Unit
from ..format.modelerrors import problem_of
from ..format.pasted import pasted
from ..i18n import N_, _
from ..zipsafe import check_archive
from . import forks
from .memo import Memo, Read

_TEMPLATE_TOO_LARGE = N_(
    "a template is a Word file of some hundred kilobytes: save it again without embedded files"
)
_POSITIONS_PER_FORK = 64  # fewer are read faster in this process than forked

M = TypeVar("M", bound=BaseModel)


class Project:
    """Reads and validates the files of one project; every file is read once."""

    def __init__(self, root: Path, *, memo: Memo | None = None) -> None:
        self.root = root.resolve()
        self.files = ProjectFiles(self.root, inspect=pasted)
        self.memo = memo
        if memo is not None:
            memo.new_reading()  # each file's stamp taken again, once for this reading
        self._models: dict[str, Any] = {}
        self._own_checks: dict[str, tuple[Problem, ...]] = {}  # a valid position's (`own_checks`)
        self._titles: dict[str, str | None] = {}  # each position read: its title, None if invalid
        # what `reviewing` has checked: positions, unit files, each unit folder's posts
        self.reviewed: set[str] = set()
        self.reviewed_units: set[str] = set()
        self.posts: dict[str, review.Posts | None] = {}
        self._unit_folders: dict[str, str] = {}
        self._unit_files: dict[str, list[str]] = {}  # a unit folder -> its and its parents' _unit.yaml

    @property
    def problems(self) -> list[Problem]:
        return self.files.problems

    # -- what is there -------------------------------------------------------------------------

    def directive_files(self) -> list[str]:
        return self.yaml_under(DIRECTIVES_DIR)

    @functools.cached_property
    def _position_files(self) -> list[str]:
        return self.yaml_under(POSITIONS_DIR)

    def position_files(self) -> list[str]:
        return list(self._position_files)

    def yaml_under(self, folder: str) -> list[str]:
        found, problems = yaml_files(self.root, folder)
        self.problems.extend(problems)
        return found

    def named(self, path: Path) -> str:
        """A file named on the command line, as a project-relative path (or the user's error)."""
        absolute = path if path.is_absolute() else Path.cwd() / path
        try:
            there = absolute.exists()
        except OSError as exc:  # a name too long for the file system, say
            raise UsageError(f"{path}: {exc.strerror}") from None
        if not there:
            raise UsageError(_("{path}: no such file").format(path=path))
        try:
            return absolute.resolve().relative_to(self.root).as_posix()
        except ValueError:
            where = _("{path} is not inside the project folder {root}").format(path=path, root=self.root)
            raise UsageError(where) from None

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

    def unit_chain(self, unit_dir: str) -> tuple[Unit, ...] | None:
        """The units around and including the one in `unit_dir`, outermost first (service ->
        department -> unit): every `_unit.yaml` from positions/ down to it; None if one is invalid."""
        units = [self._validated(name, Unit) for name in reversed(self.unit_files(unit_dir))]
        return tuple(u for u in units if u is not None) if None not in units else None

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
                _("no {file} in the folder of this position or above it").format(file=UNIT_FILE),
                hint=_("add {path} with the unit's name and genitive").format(
                    path=f"{Path(rel).parent.as_posix()}/{UNIT_FILE}"
                ),
            )
        )
        return "", None

    def read_positions(self, names: list[str]) -> None:
        """Read and validate many positions at once, on every core (`forks`): what `position`
        then returns at once. Few positions are read one by one, as they are asked for."""
        self.organisation()  # read once, before the children start (and before the memo is asked)
        todo = [
            name
            for name in names
            if name not in self._models and not self._kept(name) and (self.root / name).is_file()
        ]
        workers = min(forks.cores(), len(todo) // _POSITIONS_PER_FORK)
        if workers < 2:
            return
        progress.show(_("reading {count} positions").format(count=len(todo)))
        for read, includes, findings, places in forks.in_forks(forks.chunks(todo, workers), self._read_part):
            self.files.adopt_includes(includes)
            self.files.adopt_findings(findings)
            self.files.adopt_places(places)
            for name, (position, problems, own) in read.items():
                self._read(name, position, own)
                self.problems.extend(problems)
                if position is not None and not any(not problem.warning for problem in problems):
                    self._keep(name, self.files.mentioned_by(name), problems)
        progress.clear()

    def _read_part(self, names: list[str]) -> tuple[dict, dict[str, set[str]], dict, dict]:
        """The model of each of `names` with what reading it said (taken out of `problems`:
        `read_positions` puts each in, in order) and its own checks; the includes of each file
        read for them, what was found in those files, and the places kept of each position."""
        read, memo = {}, self.memo
        self.memo = None  # kept by `read_positions`, which has every part's (and the memo)
        try:
            for name in names:
                start = len(self.problems)
                position = self.position(name)
                read[name] = (position, self.problems[start:], self._own_checks.get(name, ()))
                del self.problems[start:]
        finally:
            self.memo = memo
        includes = self.files.includes_read(names)
        found = self.files.findings_of({*includes, *(f for i in includes.values() for f in i)})
        return read, includes, found, self.files.places_of(names)

    def _validated(self, rel: str, model: type[M]) -> M | None:
        if rel not in self._models and model is Position and self._kept(rel):
            return self._models[rel]
        if rel not in self._models:
            start = len(self.problems)
            loaded = self.files.read(rel)
            value = None if loaded is None else self._validate(loaded, model)
            self._models[rel] = value
            if model is Position and loaded is not None:
                # the position's own checks placed while its nodes are here; then they go
                position = value if isinstance(value, Position) else None
                self._read(rel, position, self._checked_alone(position, rel) if position else ())
                self.files.release(rel)
                said = self.problems[start:]
                if value is not None and not any(not problem.warning for problem in said):
                    self._keep(rel, loaded.files, said)
        return self._models[rel]

    def _checked_alone(self, position: Position, rel: str) -> tuple[Problem, ...]:
        """The reviewer's checks of a position alone: a stub says so once, for all its
        placeholders; another says where it still holds one."""
        locate = self.files.locator(rel)
        said = review.stub(position, locate)
        if not position.stub:
            said += review.placeholders(position, locate)
        return tuple(said)

    def _read(self, rel: str, position: Position | None, own: tuple[Problem, ...]) -> None:
        self._models[rel] = position
        self._titles[rel] = position.title if position is not None else None
        if position is not None:
            self._own_checks[rel] = own

    def own_checks(self, rel: str) -> tuple[Problem, ...]:
        """What the reviewer's checks of the valid position `rel` alone said (`review_position`
        reports it)."""
        return self._own_checks.get(rel, ())

    def title_of(self, rel: str) -> str | None:
        """The title of a position read, also once it is released; None where it is not valid."""
        if rel not in self._titles:
            self.position(rel)
        return self._titles.get(rel)

    def _kept(self, rel: str) -> bool:
        """The position as the memo kept it, where none of its files changed since; what reading
        it said then is said again."""
        kept = self.memo.kept(self.root, rel) if self.memo is not None else None
        if kept is None:
            return False
        self._read(rel, kept.read.position, kept.read.own_checks)
        self.files.adopt_includes(kept.read.includes)
        self.files.adopt_places({rel: kept.read.places})
        self.problems.extend(kept.read.warnings)
        return True

    def _keep(self, rel: str, files: frozenset[str], said: list[Problem]) -> None:
        """Keep a valid position in the memo with its warnings: those said reading it, and what was
        found in each of its files (an include parsed for another position says its own there)."""
        places = self.files.places_of([rel])
        if self.memo is not None and rel in places:
            found = self.files.findings_of(files)
            self.memo.keep(
                self.root,
                rel,
                {*files, ORGANISATION_FILE},
                Read(
                    self._models[rel],
                    self.files.includes_read([rel]),
                    tuple(dict.fromkeys([*said, *(p for name in sorted(found) for p in found[name])])),
                    self._own_checks[rel],
                    places[rel],
                ),
            )

    def _validate(self, loaded: Loaded, model: type[M]) -> M | None:
        try:
            value = model.model_validate(loaded.data)
        except ValidationError as exc:
            for error in exc.errors():
                self.problems.append(problem_of(error, loaded, model))
            return None
        if isinstance(value, Organisation):
            return self._template_inside(value, loaded)  # type: ignore[return-value]
        organisation = self.organisation() if model in KIND_OF_MODEL else None
        if organisation is None:
            return value
        checked, problems = checked_extras(value, loaded, model, organisation)
        self.problems.extend(problems)
        return None if problems else checked  # type: ignore[return-value]

    def _template_inside(self, organisation: Organisation, loaded: Loaded) -> Organisation | None:
        """The organisation, if its template is a file inside the project (as includes, annexes
        and units are) and not a zip bomb: a template is read and run, so it is checked first."""
        at = loaded.location(("template",))
        template = self.files.resolve_reference(organisation.template, at, N_("template"))
        if template is None:
            return None
        try:  # read (and run) by every command that renders or reads labels: checked once, here
            check_archive(self.root / template, template, hint=_(_TEMPLATE_TOO_LARGE))
        except JdgenError as exc:
            self.problems.extend(exc.problems)
            return None
        return organisation.model_copy(update={"template": template})

    # -- after a directive ----------------------------------------------------------------------

    def release(self, names: list[str]) -> None:
        """Let the positions `names` go (a build of many directives holds one directive's at a
        time): the caller knows no directive of its run asks for them again. Their titles stay,
        for the reviewer's check of substitutes."""
        for name in names:
            self._models.pop(name, None)

    def unit_files(self, unit_dir: str) -> list[str]:
        """The `_unit.yaml` files of `unit_dir` and the folders above it (looked up once per folder)."""
        if unit_dir not in self._unit_files:
            folder, found = Path(unit_dir), []
            while folder != Path(".") and folder.parts:
                if (self.root / folder / UNIT_FILE).is_file():
                    found.append((folder / UNIT_FILE).as_posix())
                folder = folder.parent
            self._unit_files[unit_dir] = found
        return list(self._unit_files[unit_dir])

    def files_of(self, rel: str) -> set[str]:
        """Every file `rel` was built from: itself and its includes, at any depth."""
        return set(self.files.sources(rel))

    def _report(self, problems: list[Problem]) -> None:
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]
