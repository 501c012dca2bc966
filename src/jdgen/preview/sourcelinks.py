"""How the preview points at a problem's source: a link that opens the file at its line in the
editor the user chose, and the lines of the file around it, shown under the problem."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from ..errors import UsageError
from ..i18n import _


class Editor:
    """Where a problem's link opens its file at its line: in the editor the user chose (`--editor`
    or JDGEN_EDITOR: a name of `EDITORS`, a link with {path}, {line} and {column}, or "none")."""

    def __init__(self, root: Path, choice: str) -> None:
        self.root = root
        self.pattern = EDITORS.get(choice, choice)
        try:
            example = self.pattern.format(path="/a", line=1, column=1)
        except Exception:  # a field it does not have, {path.x}, {line[0]}: not a link jdgen can fill
            example = ""
        scheme = example.split(":")[0].lower()
        if self.pattern and not (
            "{path}" in self.pattern and scheme.isalnum() and scheme not in ("javascript", "data")
        ):
            raise UsageError(
                _(
                    "--editor {choice}: not an editor jdgen knows ({names}) nor a link with {{path}} "
                    "and {{line}}; e.g. --editor vscode"
                ).format(choice=choice, names=", ".join(EDITORS))
            )

    def link(self, file: str, line: int, column: int) -> str:
        """The link that opens the file at the line; "" where the user wants none."""
        if not self.pattern:
            return ""
        path = (self.root / file).as_posix()
        path = path if path.startswith("/") else f"/{path}"  # C:/… on Windows
        values = {"path": quote(path, safe="/:"), "line": max(line, 1), "column": max(column, 1)}
        return self.pattern.format_map(values)


EDITORS = {
    "vscode": "vscode://file{path}:{line}:{column}",
    "vscodium": "vscodium://file{path}:{line}:{column}",
    "idea": "idea://open?file={path}&line={line}&column={column}",
    "sublime": "subl://open?url=file://{path}&line={line}&column={column}",
    "none": "",
}


class SourceLines:
    """The lines of a project's YAML file around a line, as a problem shows them (read once per page)."""

    AROUND = 2

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.read: dict[str, list[str]] = {}

    def __call__(self, file: str, line: int) -> list[tuple[int, str]]:
        if line < 1 or not file.endswith((".yaml", ".yml")):
            return []
        if file not in self.read:
            path = (self.root / file).resolve()
            try:
                inside = path.is_relative_to(self.root) and path.stat().st_size < 2_000_000
                self.read[file] = path.read_text("utf-8", errors="replace").splitlines() if inside else []
            except OSError:
                self.read[file] = []
        lines = self.read[file]
        first, last = max(line - self.AROUND, 1), min(line + self.AROUND, len(lines))
        return [(number, lines[number - 1]) for number in range(first, last + 1)]
