"""Where a jdgen project's files live, and what each is by its place.

Layout: `organisation.yaml` at the root, `directives/*.yaml`, and `positions/` with one YAML file per
position in a folder per unit (`_unit.yaml` names the unit). Files and folders whose names start with
`_` are not positions: they hold units and the shared includes.
"""

from __future__ import annotations

from pathlib import Path

from .errors import JdgenError
from .i18n import _

ORGANISATION_FILE = "organisation.yaml"
UNIT_FILE = "_unit.yaml"
DIRECTIVES_DIR = "directives"
POSITIONS_DIR = "positions"


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
