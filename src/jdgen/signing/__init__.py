"""A signed file: its signatures read offline, what updates after the build change, and `jdgen
verify` (whether it holds what the sources build now).

Imports the project, authoring's word comparison, and everything under them.
"""
