"""A project folder, read, checked and built: its files, which of them a build reads, the
checks `jdgen check` and every build run, many files read on every core, and the build
(`pipeline`) that turns directives into files.

Imports the format, the document and the PDF packages, and jdgen's root modules.
"""
