"""Writing the YAML from other documents and comparing versions: `jdgen import` (a published
directive read back, written as YAML, and proven by building it), `diff` and the redline, `new`.

Imports the project and everything under it.
"""
