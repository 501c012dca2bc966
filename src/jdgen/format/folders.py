"""Where a jdgen project's files live, what each is by its place, and which of them are read.

Layout: `organisation.yaml` at the root, `directives/*.yaml`, and `positions/` with one YAML file per
position in a folder per unit (`_unit.yaml` names the unit). Files and folders whose names start with
`_` are not positions: they hold units and the shared includes.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from ..errors import JdgenError, Location, Problem
from ..i18n import _
from .yamlsafe import CONTROL

ORGANISATION_FILE = "organisation.yaml"
UNIT_FILE = "_unit.yaml"
DIRECTIVES_DIR = "directives"
POSITIONS_DIR = "positions"
MAX_DIRECTIVE_NAME = 200  # bytes: its outputs' names (and their temporary names) stay under 255


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
        _("no {file} here or in any folder above").format(file=ORGANISATION_FILE),
        hint=_("run jdgen inside a project folder, or pass --project DIR"),
    )


def yaml_files(root: Path, folder: str) -> tuple[list[str], list[Problem]]:
    """The YAML files under `folder` (none in or under a `.`- or `_`-named folder), and why each
    other one there is not read: a link to a file outside the project or to none, a name that
    would break a line jdgen prints or, for a directive, its outputs' names."""
    found, problems = [], []
    for here, folders, names in os.walk(root / folder):
        folders[:] = [name for name in folders if not name.startswith((".", "_"))]
        rel_here = Path(here).relative_to(root).as_posix()
        # A file that is no link is inside the project where its folder is: the folder's links
        # are followed once, not each file's path again (two thousand positions, a dozen folders).
        inside = Path(os.path.realpath(here)).is_relative_to(root)
        for name in names:
            if not name.endswith((".yaml", ".yml")) or name.startswith((".", "_")):
                continue
            rel, path = f"{rel_here}/{name}", os.path.join(here, name)
            misnamed = _misnamed(rel, folder)
            if misnamed is not None:
                problems.append(misnamed)
                continue
            with contextlib.suppress(OSError):
                if inside and stat.S_ISREG(os.lstat(path).st_mode):
                    found.append(rel)
                    continue
            if not os.path.isfile(path):
                if os.path.islink(path):
                    problems.append(
                        Problem(
                            Location(rel),
                            _("this is a link to a file that does not exist"),
                            hint=_("delete the link, or point it at the file again"),
                            warning=True,
                        )
                    )
            elif not Path(os.path.realpath(path)).is_relative_to(root):
                problems.append(
                    Problem(
                        Location(rel),
                        _("this is a link to a file outside the project folder: it is not read"),
                        hint=_("copy the file into the project instead of linking to it"),
                    )
                )
            else:
                found.append(rel)
    return sorted(found), problems


def _misnamed(rel: str, folder: str) -> Problem | None:
    name = rel.rsplit("/", 1)[-1]
    if CONTROL.search(rel) or "\n" in rel:
        problem = _("the file's name holds a control character (a line break?)")
    elif folder == DIRECTIVES_DIR and len(name.encode()) > MAX_DIRECTIVE_NAME:
        problem = _(
            "the file's name is {size} bytes long; a directive's is at most {limit}, as its outputs "
            "are named after it"
        ).format(size=len(name.encode()), limit=MAX_DIRECTIVE_NAME)
    else:
        return None
    return Problem(Location(rel.encode("unicode_escape").decode()), problem, hint=_("rename the file"))
