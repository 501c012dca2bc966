"""A project read the way a competent docxtpl user would read it, for the benchmark's comparisons:
libyaml with an `!include` constructor (a merge key `<<: !include` merges the file's mapping),
the values checked by jdgen's pydantic models (the template needs them), no line numbers kept, no
reviewer's checks, no cross-file checks. What jdgen's own reading adds on top of this (every
problem with its file and line, the reviewer) is jdgen's to pay for in the comparison.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from jdgen.format.assembled import Annex, DirectiveSources
from jdgen.format.model import Directive, Organisation, Position, Unit

_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_UNIT = "_unit.yaml"


class Reader:
    """The project's YAML files, each parsed once, includes followed."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.nodes: dict[str, yaml.Node] = {}
        self.files: set[str] = set()

    def node(self, rel: str) -> yaml.Node:
        if rel not in self.nodes:
            self.files.add(rel)
            reader = self

            class Loader(_BASE):  # type: ignore[misc,valid-type]
                def flatten_mapping(self, node: yaml.MappingNode) -> None:
                    for index, (key, value) in enumerate(node.value):  # `<<: !include FILE`
                        if key.tag == "tag:yaml.org,2002:merge" and value.tag == "!include":
                            node.value[index] = (key, reader.node(value.value))
                    super().flatten_mapping(node)

            with open(self.root / rel, "rb") as stream:
                loader = Loader(stream)
                try:
                    self.nodes[rel] = loader.get_single_node()
                finally:
                    loader.dispose()
        return self.nodes[rel]

    def load(self, rel: str) -> Any:
        reader = self

        class Constructor(yaml.constructor.SafeConstructor):
            def flatten_mapping(self, node: yaml.MappingNode) -> None:
                for index, (key, value) in enumerate(node.value):
                    if key.tag == "tag:yaml.org,2002:merge" and value.tag == "!include":
                        node.value[index] = (key, reader.node(value.value))
                super().flatten_mapping(node)

        def include(constructor: Constructor, node: yaml.Node) -> Any:
            value = constructor.construct_object(reader.node(constructor.construct_scalar(node)), deep=True)
            return _Spliced(value) if isinstance(value, list) else value

        Constructor.add_constructor("!include", include)
        return _spliced(Constructor().construct_document(self.node(rel)))


class _Spliced(list):
    """An included list: its items stand in the list the include stood in (`- !include tasks.yaml`)."""


def _spliced(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _spliced(item) for key, item in value.items()}
    if isinstance(value, list) and not isinstance(value, _Spliced):
        out: list[Any] = []
        for item in value:
            out.extend(_spliced(list(item)) if isinstance(item, _Spliced) else [_spliced(item)])
        return out
    if isinstance(value, _Spliced):
        return _spliced(list(value))
    return value


def directive_sources(root: Path, directive_rel: str) -> DirectiveSources:
    reader = Reader(root)
    organisation = Organisation.model_validate(reader.load("organisation.yaml"))
    directive = Directive.model_validate(reader.load(directive_rel))
    units = _units(reader, directive.unit)
    annexes = []
    for path in directive.annexes:
        folder = Path(path).parent.as_posix()
        around = _units(reader, folder)
        annexes.append(Annex(path, Position.model_validate(reader.load(path)), around[-1], tuple(around)))
    return DirectiveSources(
        directive_rel,
        directive,
        organisation,
        units[-1],
        tuple(annexes),
        frozenset(reader.files),
        tuple(units),
    )


def _units(reader: Reader, folder: str) -> list[Unit]:
    """The units from the outermost folder with a `_unit.yaml` down to `folder`'s own."""
    parts = Path(folder).parts
    found = []
    for end in range(1, len(parts) + 1):
        rel = Path(*parts[:end], _UNIT).as_posix()
        if (reader.root / rel).is_file():
            found.append(Unit.model_validate(reader.load(rel)))
    return found
