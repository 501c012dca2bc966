"""The YAML format of a jdgen project: organisation, units, positions, directives.

The model (pydantic, the one description of every key), the safe YAML reader with `!include` and
file:line of every value, validation into problems a person can act on, the agency's declared
extras, the reviewer's checks and the warnings about text pasted from Word, the JSON Schema.

Imports only jdgen's root modules (errors, i18n, …): no Word, no PDF, no project folder.
"""
