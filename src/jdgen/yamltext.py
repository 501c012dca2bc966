"""YAML text that jdgen writes (`new`, `import`): values that read back exactly as they were."""

from __future__ import annotations

import yaml

from .yamlsafe import CONTROL


def yaml_scalar(text: str) -> str:
    """A YAML scalar for `text`: plain when that reads back the same, else double-quoted. Control
    characters (a bell, an escape, pasted from a terminal or a PDF) are no text: left out, as
    `check` would refuse them."""
    dumped = yaml.safe_dump(CONTROL.sub("", text), allow_unicode=True, width=10_000, default_style=None)
    return dumped.removesuffix("\n...\n").removesuffix("\n")
