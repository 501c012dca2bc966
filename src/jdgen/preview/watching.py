"""Which files the preview follows: a source saved, moved or deleted under the project (its YAML
files and the template), told to the preview's event loop; not the outputs, not git's or an
editor's own files, and not a file only read."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler

WATCHED = (".yaml", ".yml", ".docx")  # the sources: YAML files and the template
_WRITES = frozenset({"created", "modified", "moved", "deleted", "closed"})  # "closed": after writing


class SavedSources(FileSystemEventHandler):
    """A source file saved, moved or deleted (not the outputs, not git's or an editor's own files)."""

    def __init__(
        self, root: Path, loop: asyncio.AbstractEventLoop, save: Callable[[list[str]], None]
    ) -> None:
        self.root, self.loop, self.save = root, loop, save

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in _WRITES:  # reading a file (the preview's own too) is no change
            return
        paths = [event.src_path, getattr(event, "dest_path", "")]
        sources = [name for path in paths if path and (name := self._source(str(path)))]
        if sources:
            self.loop.call_soon_threadsafe(self.save, sources)

    def _source(self, path: str) -> str:
        """The source's project-relative name; "" for anything else."""
        try:
            parts = Path(path).relative_to(self.root).parts
        except ValueError:
            return ""
        source = (
            bool(parts)
            and parts[-1].endswith(WATCHED)
            and not any(p.startswith(".") for p in parts)
            and (parts[0] != "build")
        )
        return "/".join(parts) if source else ""
