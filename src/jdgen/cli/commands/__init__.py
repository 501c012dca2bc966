"""One module per verb of `jdgen` (`build`, `check`, `import`, …), each with `run(args) -> ExitCode`.

`cli` parses the arguments and imports only the module of the command given, so `jdgen build` does
not load what `jdgen import` needs. What the commands share lives here: finding the project,
naming a file of it, printing problems.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from ...errors import Problem, UsageError
from ...format.folders import find_root
from ...i18n import _
from ...output import display_path
from ...project.files import Project


def open_project() -> Project:
    """The project of the current folder (`cli` has moved into the folder of -C already)."""
    return Project(find_root(Path.cwd()))


def print_problems(problems: Sequence[Problem], *, summary: bool = True) -> None:
    """One line per problem on stderr, then the count (always after errors; with `summary` always)."""
    for problem in problems:
        print(problem, file=sys.stderr)
    errors = sum(not p.warning for p in problems)
    if problems and (summary or errors):
        summary_line = _("{errors} error(s), {warnings} warning(s)")
        print(summary_line.format(errors=errors, warnings=len(problems) - errors), file=sys.stderr)


def output_folder(path: Path) -> Path:
    """The absolute output folder of `-o`; a path that cannot be a folder is a command-line error."""
    output = path if path.is_absolute() else Path.cwd() / path
    try:
        return _usable_folder(path, output)
    except OSError as exc:  # a name too long for the file system
        raise UsageError(
            _("-o {path}: {problem}; choose another output folder").format(
                path=str(path)[:120], problem=exc.strerror
            )
        ) from None


def _usable_folder(path: Path, output: Path) -> Path:
    for folder in (output, *output.parents):
        if folder.exists() and not folder.is_dir():
            what = (
                _("exists and is not a folder")
                if folder == output
                else _("{path} is a file").format(path=display_path(folder))
            )
            raise UsageError(
                _("-o {path}: {problem}; choose another output folder").format(path=path, problem=what)
            )
        if folder.exists():
            break
    return output
