"""The PDF and the package for signature: LibreOffice, bookmarks and metadata, PDF/A, the ASiC-E
container, and whether a file already carries a signature.

Imports the YAML format (`jdgen.format`) and jdgen's root modules.
"""
