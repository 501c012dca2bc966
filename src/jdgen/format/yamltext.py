"""YAML text that jdgen writes (`new`, `import`): values that read back exactly as they were."""

from __future__ import annotations

import yaml


def yaml_scalar(text: str) -> str:
    """A YAML scalar for `text`: plain when that reads back the same, else double-quoted."""
    dumped = yaml.safe_dump(text, allow_unicode=True, width=10_000, default_style=None)
    return dumped.removesuffix("\n...\n").removesuffix("\n")
