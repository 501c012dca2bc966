"""Read YAML files of a project into plain data, resolving `!include`, remembering file:line of every value.

`!include PATH` takes the value held by another YAML file of the project; PATH is relative to the
project root, so the same line means the same file wherever it is written. An include that is an item
of a list and holds a list is spliced into it; `<<: !include FILE` (the YAML merge key) takes the keys
of a mapping and lets the including file override them. Includes are resolved on YAML nodes, before
any value is built, so every value keeps the file and line it was written at, in the include itself.

Input is treated as hostile: a safe loader only (`yamlsafe`), no path outside the project, size and
alias bounds.
"""

from __future__ import annotations

import functools
import os
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import Location, Problem
from ..i18n import _
from .located import KeyPath, Loaded, Places, node_location
from .references import References
from .yamlsafe import (
    CONTROL,
    MAX_VALUES,
    BadValue,
    Constructor,
    NamedText,
    Parser,
    blame,
    expanded_size,
    measure,
    yaml_hint,
    yaml_problem,
)

INCLUDE_TAG = "!include"
MAX_FILE_BYTES = 2 * 1024 * 1024
YAML_SUFFIXES = (".yaml", ".yml")

_INCLUDE_MENTION = re.compile(r"!include\s+[\"']?([^\s\"'#,\[\]{}]+)")


Inspect = Callable[[str, Node], list[Problem]]  # what is said of a file's text and own nodes


class ProjectFiles:
    """Reads the YAML files of one project folder; each file is read and parsed once.

    `inspect`, where given, looks at each file's own nodes once, when it is parsed (before its
    includes are put in): its warnings are said then, and kept in `findings` by file."""

    def __init__(self, root: Path, *, inspect: Inspect | None = None) -> None:
        self.root = root.resolve()
        self.problems: list[Problem] = []
        self.findings: dict[str, tuple[Problem, ...]] = {}
        self._inspect = inspect
        self._nodes: dict[str, Node | None] = {}
        self._loaded: dict[str, Loaded | None] = {}
        self._places: dict[str, Places] = {}  # a released file: where its keys and items are
        self._shared_places: dict[tuple[str, int, int], Location] = {}
        self._references = References(self.root, self.problems)
        self._file_includes: dict[str, set[str]] = {}
        self.parsed: Counter[str] = Counter()  # how often each file's text was parsed

    # -- paths -----------------------------------------------------------------------------

    def relative(self, path: Path) -> str:
        """The project-relative spelling of a path, as the user writes it in YAML."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def resolve_reference(self, text: str, at: Location, what: str) -> str | None:
        """Check a project-relative path written in YAML; return it normalised, or report why not."""
        return self._references.resolve(text, at, what)

    # -- reading -----------------------------------------------------------------------------

    def read(self, rel: str) -> Loaded | None:
        """Read one YAML file with its includes; on failure report problems and return None."""
        if rel not in self._loaded:
            self._loaded[rel] = self._read(rel)
        return self._loaded[rel]

    def _read(self, rel: str) -> Loaded | None:
        node = self._node(rel, Location(rel), ())
        if node is None:
            return None
        if expanded_size(node) > MAX_VALUES:
            self._report(
                node_location(blame(node)),
                _(
                    "the file expands to too many values (an alias inside what it names, or aliases or "
                    "includes repeated over and over?)"
                ),
                _("a job description has at most a few thousand; the limit is {limit}").format(
                    limit=MAX_VALUES
                ),
            )
            return None
        constructor = Constructor()
        try:
            data = constructor.construct_document(node)
        except yaml.constructor.ConstructorError as exc:
            self._report_yaml(rel, exc)
            return None
        except RecursionError:
            self._report_too_deep(rel)
            return None
        return Loaded(data, node, files=self.mentioned_by(rel))

    def locate(self, rel: str, path: KeyPath, *, key: bool = False) -> Location:
        """Where `path` was written in `rel` (its key, with `key=True`): through the file's nodes,
        or, once it is released, through the places kept of its keys and their items."""
        if rel in self._places:
            return self._places[rel].location(path)
        loaded = self.read(rel)
        return loaded.location(path, key=key) if loaded is not None else Location(rel)

    def locator(self, rel: str) -> Callable[[KeyPath], Location]:
        """`locate` for one file, to hand to checks that report problems only sometimes."""
        return functools.partial(self.locate, rel)

    def release(self, rel: str) -> None:
        """Let the nodes of `rel` go once its model is made: a thousand positions' nodes are most of
        the memory of a large build. The places of its keys and their items stay (`locate`): what
        is checked later points at no deeper place. Only a file no other file includes is released."""
        loaded = self._loaded.pop(rel, None)
        self._nodes.pop(rel, None)
        if loaded is not None:
            self._places[rel] = loaded.places(rel, self._shared_places)

    def places_of(self, names: list[str]) -> dict[str, Places]:
        """The places kept of the released files among `names`: what `adopt_places` takes."""
        return {name: self._places[name] for name in names if name in self._places}

    def adopt_places(self, places: dict[str, Places]) -> None:
        """Take the places of files another reader of this project (a forked part) released."""
        self._places.update(places)

    def includes_of(self, rel: str) -> set[str]:
        """The files `rel` includes directly (after it has been read)."""
        return set(self._file_includes.get(rel, ()))

    def includes_read(self, names: list[str]) -> dict[str, set[str]]:
        """What `includes_of` knows of `names` and of the files they include, at any depth."""
        known: dict[str, set[str]] = {}
        todo = list(names)
        while todo:
            name = todo.pop()
            if name not in known and name in self._file_includes:
                known[name] = set(self._file_includes[name])
                todo.extend(known[name])
        return known

    def findings_of(self, names: frozenset[str] | set[str]) -> dict[str, tuple[Problem, ...]]:
        """What `inspect` said of each of `names` that was parsed."""
        return {name: self.findings[name] for name in names if name in self.findings}

    def adopt_findings(self, findings: dict[str, tuple[Problem, ...]]) -> None:
        """Take what another reader of this project (a forked part) found in the files it parsed."""
        self.findings.update(findings)

    def includes_known(self) -> dict[str, set[str]]:
        """Every parsed file's includes: what `adopt_includes` takes."""
        return {name: set(targets) for name, targets in self._file_includes.items()}

    def adopt_includes(self, includes: dict[str, set[str]]) -> None:
        """Take what another reader of this project learnt of its files' includes (`includes_read`)."""
        for name, targets in includes.items():
            self._file_includes.setdefault(name, set()).update(targets)

    def sources(self, rel: str) -> frozenset[str]:
        """Every file `rel` is built from: itself and its includes at any depth (`mentioned_by`),
        `rel` read first if it was not yet; nothing for a file that does not exist."""
        if rel not in self._file_includes and not os.path.isfile(os.path.join(self.root, rel)):
            return frozenset()
        if rel not in self._file_includes and rel not in self._loaded:
            self.read(rel)
        return self.mentioned_by(rel)

    def mentioned_by(self, rel: str) -> frozenset[str]:
        """`rel` and every file it includes, at any depth, also where a file could not be parsed: there
        the `!include` lines of its text count, so that its includes do not look unused."""
        seen, todo = set(), [rel]
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            if name in self._file_includes:  # parsed: its includes are known
                todo.extend(self._file_includes[name])
                continue
            path = self.root / name
            if path.is_file() and path.stat().st_size <= MAX_FILE_BYTES:
                text = path.read_bytes().decode("utf-8", errors="replace")
                for mention in _INCLUDE_MENTION.finditer(text):
                    target = (self.root / mention.group(1)).resolve()
                    if target.is_relative_to(self.root):
                        todo.append(target.relative_to(self.root).as_posix())
        return frozenset(seen)

    def _node(self, rel: str, at: Location, chain: tuple[str, ...]) -> Node | None:
        if rel in chain:
            cycle = " -> ".join((*chain[chain.index(rel) :], rel))
            self._report(
                at, _("include cycle: {cycle}").format(cycle=cycle), _("remove one of these includes")
            )
            return None
        if rel in self._nodes:
            return self._nodes[rel]
        self._nodes[rel] = None  # a failed file is reported once
        text = self._text(rel, at)
        if text is None:
            return None
        self.parsed[rel] += 1
        loader = Parser(NamedText(text, rel))
        try:
            node = loader.get_single_node()
        except yaml.YAMLError as exc:
            self._report_yaml(rel, exc)
            return None
        except RecursionError:
            self._report_too_deep(rel)
            return None
        finally:
            loader.dispose()
        if node is None:
            self._report(
                Location(rel, 1, 1),
                _("the file holds no data (it is empty or only comments)"),
                _("fill it in or delete it"),
            )
            return None
        if self._inspect is not None:  # the file's own texts, before its includes are put in
            self.findings[rel] = found = tuple(self._inspect(text, node))
            self.problems.extend(found)
        self._file_includes[rel] = set()
        try:
            ok = self._resolve(node, rel, (*chain, rel), set())
        except RecursionError:
            self._report_too_deep(rel)
            ok = False
        self._nodes[rel] = node if ok else None
        return self._nodes[rel]

    def _text(self, rel: str, at: Location) -> str | None:
        path = self.root / rel
        if not path.is_file():
            what = (
                _("{path} is a folder, not a YAML file")
                if path.is_dir()
                else _("{path} is a file that does not exist")
            )
            self._report(at, what.format(path=rel), _("check the spelling of the path"))
            return None
        if not rel.endswith(YAML_SUFFIXES):
            self._report(at, _("{path} is not a .yaml file").format(path=rel), _("name YAML files *.yaml"))
            return None
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            self._report(
                Location(rel, 1, 1),
                _("the file is too large ({size} KiB)").format(size=size // 1024),
                _("a YAML file of jdgen is at most {limit} KiB; split it").format(
                    limit=MAX_FILE_BYTES // 1024
                ),
            )
            return None
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            self._report(
                Location(rel, line, column),
                _("the file is not UTF-8 text (byte {byte})").format(byte=f"0x{raw[exc.start]:02x}"),
                _("save it as UTF-8 in your editor (VS Code: 'Save with Encoding')"),
            )
            return None
        control = CONTROL.search(text)
        if control:
            line = text.count("\n", 0, control.start()) + 1
            column = control.start() - (text.rfind("\n", 0, control.start()) + 1) + 1
            self._report(
                Location(rel, line, column),
                _("invalid control character {character} in the text").format(
                    character=f"U+{ord(control.group()):04X}"
                ),
                _("delete it (it was probably pasted in by accident)"),
            )
            return None
        if not text.strip():
            self._report(Location(rel, 1, 1), _("the file is empty"), _("fill it in or delete it"))
            return None
        return text

    def _resolve(self, node: Node, rel: str, chain: tuple[str, ...], seen: set[int]) -> bool:
        """Replace `!include` nodes by the included nodes, in place; report duplicate keys; measure
        each node's expanded size on the way (`yamlsafe.expanded_size` then has it at once)."""
        if id(node) in seen:
            return True
        seen.add(id(node))
        ok = True
        if isinstance(node, SequenceNode):
            items: list[Node] = []
            for item in node.value:
                if _is_include(item):
                    target = self._include(item, rel, chain)
                    if target is None:
                        ok = False
                    elif isinstance(target, SequenceNode):
                        items.extend(target.value)
                    else:
                        items.append(target)
                else:
                    if item.__class__ is not ScalarNode:  # a text has nothing to resolve
                        ok = self._resolve(item, rel, chain, seen) and ok
                    items.append(item)
            node.value = items
            measure(node, items)
        elif isinstance(node, MappingNode):
            written: dict[str, Node] = {}
            for index, (key, value) in enumerate(node.value):
                if isinstance(key, ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    if key.value in written:
                        self._report(
                            node_location(key),
                            _("the key {key!r} is written twice (first on line {line})").format(
                                key=key.value, line=written[key.value].start_mark.line + 1
                            ),
                            _("keep one of them"),
                        )
                        ok = False
                    written[key.value] = key
                if _is_include(value):
                    target = self._include(value, rel, chain)
                    if target is None:
                        ok = False
                    else:
                        node.value[index] = (key, target)
                elif value.__class__ is not ScalarNode:
                    ok = self._resolve(value, rel, chain, seen) and ok
            measure(node, [value for _, value in node.value])
        elif _is_include(node):
            self._report(
                node_location(node),
                _("!include can only stand as a value or a list item"),
                _("write `key: !include path.yaml` or `- !include path.yaml`"),
            )
            ok = False
        return ok

    def _include(self, node: ScalarNode, rel: str, chain: tuple[str, ...]) -> Node | None:
        at = node_location(node)
        target = self.resolve_reference(node.value, at, "!include")
        if target is None:
            return None
        self._file_includes[rel].add(target)
        return self._node(target, at, chain)

    # -- reporting ---------------------------------------------------------------------------

    def _report(self, at: Location, message: str, hint: str = "") -> None:
        self.problems.append(Problem(at, message, hint=hint))

    def _report_too_deep(self, rel: str) -> None:
        self._report(
            Location(rel, 1, 1),
            _("the YAML is nested too deeply"),
            _("a job description needs a few levels of indentation, not hundreds"),
        )

    def _report_yaml(self, rel: str, exc: yaml.YAMLError) -> None:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = Location(mark.name or rel, mark.line + 1, mark.column + 1) if mark else Location(rel, 1, 1)
        if isinstance(exc, BadValue):
            self._report(where, exc.problem or "", exc.hint)
            return
        what = (getattr(exc, "problem", None) or str(exc)).strip()
        message = _("YAML syntax: {problem}").format(problem=yaml_problem(" ".join(what.split())))
        self._report(where, message, yaml_hint(what))


def _is_include(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == INCLUDE_TAG
