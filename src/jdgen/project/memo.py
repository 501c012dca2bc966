"""Valid positions kept from one reading of a project to the next: the preview reads the project
again after every save, and a position whose files did not change since (each stamped by its
modification time and size) is taken as it was, not parsed, validated or checked alone again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem
from ..format.located import Places
from ..format.model import Position


@dataclass(frozen=True)
class Read:
    """What reading a valid position gave, all that a later reading takes instead of reading it."""

    position: Position
    includes: dict[str, set[str]]  # what the files it was read from include
    warnings: tuple[Problem, ...]  # what reading it said (its files' pasted text, say): said again
    own_checks: tuple[Problem, ...]  # what the reviewer's checks of it alone said
    places: Places  # where its keys and their items are written


@dataclass(frozen=True)
class Kept:
    stamps: tuple[tuple[str, int, int], ...]  # each file it was read from: name, mtime_ns, size
    read: Read


class Memo:
    """Valid positions kept from one reading of a project to the next, with the warnings reading
    them said. A position with an error is not kept (`Project` keeps only those read without one)."""

    def __init__(self) -> None:
        self.positions: dict[str, Kept] = {}
        self._stamped: dict[str, tuple[int, int] | None] = {}  # a file's stamp, once per reading

    def new_reading(self) -> None:
        """The project is read again: each file's stamp is taken again, once (the shared includes
        of two thousand positions are not looked at two thousand times)."""
        self._stamped.clear()

    def kept(self, root: Path, rel: str) -> Kept | None:
        """The position as kept, where none of its files (under `root`) changed since."""
        kept = self.positions.get(rel)
        if kept is None:
            return None
        if self._stamps(root, {name for name, _t, _s in kept.stamps}) != kept.stamps:
            del self.positions[rel]  # read again: kept again only if it is valid now
            return None
        return kept

    def keep(self, root: Path, rel: str, files: set[str], read: Read) -> None:
        """Keep a position as `read`, from `files` (organisation.yaml among them: it checks extras)."""
        stamps = self._stamps(root, files)
        if stamps is not None:
            self.positions[rel] = Kept(stamps, read)

    def kept_using(self, name: str) -> str | None:
        """A position kept that was read from the file `name` (a shared include, say)."""
        return next(
            (
                rel
                for rel, kept in sorted(self.positions.items())
                if any(file == name for file, _t, _s in kept.stamps)
            ),
            None,
        )

    def prune(self, names: list[str]) -> None:
        """Keep only the positions named (the project's now)."""
        now = set(names)
        self.positions = {name: kept for name, kept in self.positions.items() if name in now}

    def _stamps(self, root: Path, names: set[str]) -> tuple[tuple[str, int, int], ...] | None:
        """Each file's name, modification time and size; None where one is gone."""
        stamps = []
        for name in sorted(names):
            if name not in self._stamped:
                try:
                    stat = os.stat(os.path.join(root, name))
                    self._stamped[name] = (stat.st_mtime_ns, stat.st_size)
                except OSError:
                    self._stamped[name] = None
            stamp = self._stamped[name]
            if stamp is None:
                return None
            stamps.append((name, *stamp))
        return tuple(stamps)
