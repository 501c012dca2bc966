"""`python -m jdgen` is the `jdgen` command."""

from .cli import run

run()
