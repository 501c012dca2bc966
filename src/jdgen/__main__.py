"""`python -m jdgen` is the `jdgen` command."""

from .start import run

run()
