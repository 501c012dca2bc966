"""`python -m jdgen` is the `jdgen` command."""

from .cli.start import run

run()
