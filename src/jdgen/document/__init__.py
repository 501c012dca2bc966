"""The Word document: what the template sees, and the DOCX made from it.

Derived text (numbers, dates), the template's labels and fixed words, the sandboxed Jinja that runs
an agency's template and its limits, the streaming renderer, and the clean Word package.

Imports the YAML format (`jdgen.format`) and jdgen's root modules.
"""
