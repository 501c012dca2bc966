"""The `jdgen` command line: the process's first step, the parser, the exit codes, and one
module per verb (`commands`).

The top: may import every package below it.
"""
