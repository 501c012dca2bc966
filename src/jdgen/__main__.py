"""`python -m jdgen` is the `jdgen` command."""

import sys

from .cli import main

sys.exit(main())
