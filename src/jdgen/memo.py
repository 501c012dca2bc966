"""Valid positions kept from one reading of a project to the next: the preview reads the project
again after every save, and a position whose files did not change since (each stamped by its
modification time and size) is taken as it was, not parsed and validated again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .model import Position


@dataclass(frozen=True)
class Kept:
    stamps: tuple[tuple[str, int, int], ...]  # each file it was read from: name, mtime_ns, size
    position: Position
    includes: dict[str, set[str]]  # what the files it was read from include


class Memo:
    """Valid positions kept from one reading of a project to the next. A position with any
    problem is not kept (`Project` keeps only those read without one)."""

    def __init__(self) -> None:
        self.positions: dict[str, Kept] = {}

    def kept(self, root: Path, rel: str) -> Kept | None:
        """The position as kept, where none of its files (under `root`) changed since."""
        kept = self.positions.get(rel)
        if kept is None or _stamps(root, {name for name, _t, _s in kept.stamps}) != kept.stamps:
            return None
        return kept

    def keep(
        self, root: Path, rel: str, files: set[str], position: Position, includes: dict[str, set[str]]
    ) -> None:
        """Keep `position`, read from `files` (organisation.yaml among them: it checks extras)."""
        stamps = _stamps(root, files)
        if stamps is not None:
            self.positions[rel] = Kept(stamps, position, includes)

    def prune(self, names: list[str]) -> None:
        """Keep only the positions named (the project's now)."""
        now = set(names)
        self.positions = {name: kept for name, kept in self.positions.items() if name in now}


def _stamps(root: Path, names: set[str]) -> tuple[tuple[str, int, int], ...] | None:
    """Each file's name, modification time and size; None where one is gone."""
    stamps = []
    for name in sorted(names):
        try:
            stat = (root / name).stat()
        except OSError:
            return None
        stamps.append((name, stat.st_mtime_ns, stat.st_size))
    return tuple(stamps)
