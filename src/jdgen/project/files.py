"""A jdgen project folder: validate its files against the model, assemble a directive, report
every problem. Where the files live, and what each one is by its place, is `folders`'s."""

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
from ..format.model import Annex, Directive, DirectiveSources, Organisation, Position, Unit
from ..format.modelerrors import problem_of
from ..format.pasted import pasted
from ..format.review import Locate
from ..i18n import N_, _
from ..zipsafe import check_archive
from . import forks
from .memo import Memo

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
        self._reviewed: set[str] = set()
        self._reviewed_units: set[str] = set()
        self._posts: dict[str, review.Posts | None] = {}
        self._unit_folders: dict[str, str] = {}
        self._unit_files: dict[str, list[str]] = {}  # a unit folder -> its and its parents' _unit.yaml

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
        for read, includes, findings in forks.in_forks(forks.chunks(todo, workers), self._read_part):
            self.files.adopt_includes(includes)
            self.files.adopt_findings(findings)
            for name, (position, problems) in read.items():
                self._models[name] = position
                self.problems.extend(problems)
                if position is not None and not any(not problem.warning for problem in problems):
                    self._keep(name, self.files.mentioned_by(name), problems)
        progress.clear()

    def _read_part(
        self, names: list[str]
    ) -> tuple[dict[str, tuple[Any, list[Problem]]], dict[str, set[str]], dict[str, tuple[Problem, ...]]]:
        """The model of each of `names` with what reading it said (taken out of `problems`:
        `read_positions` puts each in, in order), the includes of each file read for them, and
        what was found in those files."""
        read, memo = {}, self.memo
        self.memo = None  # kept by `read_positions`, which has every part's (and the memo)
        try:
            for name in names:
                start = len(self.problems)
                read[name] = (self.position(name), self.problems[start:])
                del self.problems[start:]
        finally:
            self.memo = memo
        includes = self.files.includes_read(names)
        return read, includes, self.files.findings_of({*includes, *(f for i in includes.values() for f in i)})

    def _validated(self, rel: str, model: type[M]) -> M | None:
        if rel not in self._models and model is Position and self._kept(rel):
            return self._models[rel]
        if rel not in self._models:
            start = len(self.problems)
            loaded = self.files.read(rel)
            self._models[rel] = None if loaded is None else self._validate(loaded, model)
            if model is Position and loaded is not None:
                # A thousand positions' YAML nodes are most of the memory of a large build; the
                # model is kept, and the file is read again if a problem needs its line numbers.
                self.files.forget(rel)
                said = self.problems[start:]
                if self._models[rel] is not None and not any(not problem.warning for problem in said):
                    self._keep(rel, loaded.files, said)
        return self._models[rel]

    def _kept(self, rel: str) -> bool:
        """The position as the memo kept it, where none of its files changed since; what reading
        it said then is said again."""
        kept = self.memo.kept(self.root, rel) if self.memo is not None else None
        if kept is None:
            return False
        self._models[rel] = kept.position
        self.files.adopt_includes(kept.includes)
        self.problems.extend(kept.warnings)
        return True

    def _keep(self, rel: str, files: frozenset[str], said: list[Problem]) -> None:
        """Keep a valid position in the memo with its warnings: those said reading it, and what was
        found in each of its files (an include parsed for another position says its own there)."""
        if self.memo is not None:
            found = self.files.findings_of(files)
            self.memo.keep(
                self.root,
                rel,
                {*files, ORGANISATION_FILE},
                self._models[rel],
                self.files.includes_read([rel]),
                tuple(dict.fromkeys([*said, *(p for name in sorted(found) for p in found[name])])),
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

    # -- a whole directive ---------------------------------------------------------------------

    def as_draft(self, rel: str) -> None:
        """Read the directive `rel` as the draft it was before the register's number and date were
        written in: what a signed draft is compared with (`verify`)."""
        directive = self.directive(rel)
        if directive is not None:
            self._models[rel] = directive.model_copy(update={"number": None, "date": None})

    def as_draft_of_one(self, rel: str, position: str) -> None:
        """Read the directive `rel` as a draft whose only annex is the position file `position`: one
        position laid out as its directive will print it (the preview's page of a position)."""
        directive = self.directive(rel)
        if directive is not None:
            update = {"number": None, "date": None, "annexes": [position]}
            self._models[rel] = directive.model_copy(update=update)

    def let_go(self, sources: DirectiveSources) -> None:
        """Forget the directive's positions once it is built (a build of many holds one at a time);
        they are read again if asked for. The shared files stay: the next directive uses them."""
        for annex in sources.annexes:
            self._models.pop(annex.path, None)

    def directive_sources(self, rel: str) -> DirectiveSources | None:
        """Validate a directive with its organisation, unit and positions; None if anything is wrong."""
        organisation = self.organisation()
        directive = self.directive(rel)
        if directive is None:
            return None
        locate = self.files.locator(rel)
        files = self._files_of(rel) | self._files_of(ORGANISATION_FILE)
        errors_before = len(self.errors)
        units = self._directive_unit(directive, locate, files)
        annexes, complete = self._annexes(directive, locate, files)
        self._report(review.repeal_dates(directive, locate))
        self._report(review.own_words_agree(directive, locate))
        self._report(review.entry_into_force(directive, locate))
        if organisation is not None and organisation.review.similar_titles:
            self._report(review.similar_titles([a.position.title for a in annexes], locate))
        if organisation is None or units is None or not complete or len(self.errors) > errors_before:
            return None
        return DirectiveSources(
            rel, directive, organisation, units[-1], tuple(annexes), frozenset(files), units
        )

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

    def _directive_unit(
        self, directive: Directive, locate: Locate, files: set[str]
    ) -> tuple[Unit, ...] | None:
        """The units a directive names, outermost first (`files` gets their files)."""
        unit_folder = self.files.resolve_reference(directive.unit, locate(("unit",)), "unit")
        if unit_folder is None:
            return None
        unit_file = f"{unit_folder}/{UNIT_FILE}"
        if not (self.root / unit_file).is_file():
            self.problems.append(
                Problem(
                    locate(("unit",)),
                    _("no unit folder with {file} at {folder}").format(file=UNIT_FILE, folder=unit_folder),
                    "unit",
                    _("name the folder of the unit, e.g. positions/osakond/talitus"),
                )
            )
            return None
        files |= {f for u in self.unit_files(unit_folder) for f in self._files_of(u)}
        self._validated(unit_file, Unit)
        return self.unit_chain(unit_folder)

    def _annexes(self, directive: Directive, locate: Locate, files: set[str]) -> tuple[list[Annex], bool]:
        """The directive's valid annexes, in order (`files` gets every file they are built from),
        and whether all of them are valid."""
        seen = self._annex_files(directive, locate)
        self.read_positions(list(seen))
        annexes: list[Annex] = []
        complete = True
        for target in seen:
            position = self.position(target)
            unit_dir, position_unit = self.unit_of(target)
            files |= self._files_of(target) | {
                f for u in self.unit_files(unit_dir) for f in self._files_of(u)
            }
            units = self.unit_chain(unit_dir) if position_unit is not None else None
            if position is None or units is None:
                complete = False
            else:
                annexes.append(Annex(target, position, units[-1], units))
        return annexes, complete

    def _annex_files(self, directive: Directive, locate: Locate) -> dict[str, int]:
        """The position file of each annex that names one (-> its annex number), in order."""
        seen: dict[str, int] = {}
        for index, path in enumerate(directive.annexes):
            at = locate(("annexes", index))
            target = self.files.resolve_reference(path, at, "annex")
            if target is None:
                continue
            problem = (
                (
                    _("{path} is already Lisa {number}").format(path=target, number=seen[target]),
                    _("list each position once"),
                )
                if target in seen
                else None
                if (self.root / target).is_file()
                else (
                    _("no position file {path}").format(path=target),
                    _("check the path; `jdgen list` shows the positions"),
                )
            )
            if problem is not None:
                self.problems.append(Problem(at, problem[0], f"annexes[{index + 1}]", problem[1]))
                continue
            seen[target] = index + 1
        return seen

    def _files_of(self, rel: str) -> set[str]:
        """Every file `rel` was built from: itself and its includes, at any depth."""
        return set(self.files.sources(rel))

    # -- reviewer's checks ----------------------------------------------------------------------

    def mark_reviewed(self, names: set[str]) -> None:
        """Positions reviewed by another reader of this project (a forked part of a check)."""
        self._reviewed |= names

    @property
    def reviewed(self) -> set[str]:
        """The positions reviewed so far (`review_position`)."""
        return set(self._reviewed)

    def review_position(self, rel: str) -> None:
        """Cross-field checks of one valid position (each position once)."""
        if rel in self._reviewed:
            return
        self._reviewed.add(rel)
        position = self.position(rel)
        unit_dir, unit = self.unit_of(rel)
        if position is None or unit is None:
            return
        rules = organisation.review if (organisation := self.organisation()) else None
        own = self.memo.review_of(rel) if self.memo is not None else None
        if own is None:
            said = review.stub(position, self.files.locator(rel))
            if not position.stub:  # a stub says so once, for all its placeholders
                said += review.placeholders(position, self.files.locator(rel))
            if self.memo is not None:
                self.memo.keep_review(rel, said)
            own = tuple(said)
        self._report(list(own))
        unit_file = f"{unit_dir}/{UNIT_FILE}"
        if unit_file not in self._reviewed_units:
            self._reviewed_units.add(unit_file)
            self._report(review.placeholders(unit, self.files.locator(unit_file)))
        posts = self._unit_posts(unit_dir) if rules is not None and rules.substitutes else None
        if posts is not None:  # with a position of the unit unreadable, a title may be missing
            self._report(review.substitutes(position, posts, self.files.locator(rel)))

    def _unit_posts(self, unit_dir: str) -> review.Posts | None:
        """The posts of the unit's positions; None if one of them is not valid."""
        if unit_dir not in self._posts:
            names = self._positions_of(unit_dir)
            self.read_positions(names)
            positions = [self.position(n) for n in names]
            complete = None not in positions
            self._posts[unit_dir] = review.Posts(p.title for p in positions if p) if complete else None
        return self._posts[unit_dir]

    def _positions_of(self, unit_dir: str) -> list[str]:
        """The position files under a unit's folder: taken from the project's list where it is in
        it (positions/, no `_`- or `.`-folder on the way), the folder walked again only elsewhere."""
        parts = unit_dir.split("/")
        if parts[0] != POSITIONS_DIR or any(part.startswith(("_", ".")) for part in parts):
            return self._yaml_under(unit_dir)
        return [name for name in self.position_files() if name.startswith(f"{unit_dir}/")]

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
                        _("this shared file is not included by any position or directive"),
                        hint=_("include it where it belongs, or delete it"),
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
