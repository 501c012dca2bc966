"""Where a value of a YAML file was written: a loaded document with its nodes, and key paths.

`Loaded.location` finds the file, line and column of any key path through the document's nodes,
includes too (each node carries the file it was read from); `Places` keeps, once the nodes are
released, the places of a document's keys and of its lists' items (what the reviewer's checks
point at); `key_path_text` writes a key path as people read it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import Location

KeyPath = tuple[str | int, ...]


@dataclass
class Loaded:
    """One YAML document as data, with the nodes it was built from, to tell where a value was written."""

    data: Any
    root: Node
    files: frozenset[str] = frozenset()

    def location(self, path: KeyPath, *, key: bool = False) -> Location:
        """Where `path` was written (its key, with `key=True`); for a missing path, its nearest parent."""
        node, key_node = self.root, None
        for part in path:
            child = None
            if isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                child, key_node = node.value[part], None
            elif isinstance(node, MappingNode):
                for candidate, value in node.value:  # the last one wins, as in the data
                    if isinstance(candidate, ScalarNode) and candidate.value == str(part):
                        child, key_node = value, candidate
            if child is None:
                return node_location(node)
            node = child
        return node_location(key_node if key and key_node is not None else node)

    def places(self, own: str, shared: dict[tuple[str, int, int], Location]) -> Places:
        """The places of this document's keys and of the items of its lists (two levels): what is
        left to point at once the nodes of `own`, its file, are released. `shared` keeps one place
        for each place in another file (an include's items, spliced into a thousand documents); a
        place in `own` is kept as one number (`Places`)."""

        def place(node: Node) -> Location | int:
            mark = node.start_mark
            if mark.name == own:
                return _packed(mark.line + 1, mark.column + 1)
            where = (mark.name, mark.line, mark.column)
            if where not in shared:
                shared[where] = Location(mark.name, mark.line + 1, mark.column + 1)
            return shared[where]

        found: dict[KeyPath, Location | int] = {}
        for path, node in _children(self.root, ()):
            found[_interned(path)] = place(node)
            for item_path, item in _children(node, path):
                found[_interned(item_path)] = place(item)
        return Places(node_location(self.root), found)


_COLUMN_BITS = 22  # a column fits: a file is at most 2 MiB
_PATHS: dict[KeyPath, KeyPath] = {}  # one tuple for each key path, whatever file it is in


def _packed(line: int, column: int) -> int:
    return line << _COLUMN_BITS | column


def _interned(path: KeyPath) -> KeyPath:
    return _PATHS.setdefault(path, path)


@dataclass(frozen=True)
class Places:
    """Where a released document's keys and their items were written (`Loaded.places`): a key path
    deeper than that, or missing, is placed at its nearest parent, as `Loaded.location` does. A
    place in the document's own file is one number (line and column packed), not a `Location`:
    an agency's thousands of positions each keep some fifty of them."""

    root: Location
    known: dict[KeyPath, Location | int]

    def location(self, path: KeyPath) -> Location:
        for depth in range(min(len(path), 2), 0, -1):
            where = self.known.get(path[:depth])
            if where is not None:
                if isinstance(where, Location):
                    return where
                return Location(self.root.file, where >> _COLUMN_BITS, where & ((1 << _COLUMN_BITS) - 1))
        return self.root

    def __reduce__(self):  # from a forked child: its key paths become this process's shared ones
        return _places, (self.root, self.known)


def _places(root: Location, known: dict[KeyPath, Location | int]) -> Places:
    return Places(root, {_interned(path): where for path, where in known.items()})


def _children(node: Node, path: KeyPath) -> Iterator[tuple[KeyPath, Node]]:
    """Each key's value of a mapping, or each item of a list, with its key path."""
    if isinstance(node, MappingNode):
        for key, value in node.value:  # the last one wins, as in the data
            if isinstance(key, ScalarNode):
                yield (*path, key.value), value
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            yield (*path, index), item


def key_path_text(path: KeyPath) -> str:
    """`("tasks", 2, "results")` -> `tasks[3].results` (list positions counted from 1, as people do)."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part + 1}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def node_location(node: Node) -> Location:
    mark = node.start_mark
    return Location(mark.name, mark.line + 1, mark.column + 1)


def texts_in(value: Any, path: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
    """Each text in `value` with its key path, through models (their fields, as written: every
    model forbids other keys), mappings and lists, without copying them (`model_dump`)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, BaseModel):
        for key, item in value.__dict__.items():
            yield from texts_in(item, (*path, key))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from texts_in(item, (*path, key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from texts_in(item, (*path, index))
