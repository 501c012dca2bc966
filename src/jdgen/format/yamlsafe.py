"""Safe YAML: text into nodes and values, refusing whatever is no value of a jdgen file.

libyaml's parser (PyYAML's own when libyaml is missing) reads the text into nodes; PyYAML's safe
constructor builds values from them, refusing what YAML reads but no file of jdgen can mean: an
escaped control character, a day that does not exist, a number of hundreds of digits (`BadValue`,
at its node). `expanded_size` measures what aliases and includes expand into, in linear time, so
a "billion laughs" is refused before it is built. `load` resolves includes between these steps.
"""

from __future__ import annotations

import io
import re
from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..i18n import N_, _

MAX_VALUES = 200_000


if TYPE_CHECKING:
    _BaseParser = yaml.SafeLoader
else:
    _BaseParser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Parser(_BaseParser):
    """libyaml's parser when PyYAML has it (20 times faster on large projects), else the pure-Python one.

    Only the parser is used: nodes are built into values by PyYAML's SafeConstructor. The tag of
    a plain scalar whose first character starts none of YAML's implicit types (numbers, dates,
    booleans, null, `<<`, …) is text without trying each type's pattern, as PyYAML's own resolver
    would conclude: most values of a job description are sentences.
    """

    _TYPED_STARTS = frozenset(key for key in _BaseParser.yaml_implicit_resolvers if key)

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode and implicit[0] and value and value[0] not in self._TYPED_STARTS:
            return self.DEFAULT_SCALAR_TAG
        return super().resolve(kind, value, implicit)


class Constructor(yaml.constructor.SafeConstructor):
    """PyYAML's safe constructor, taking a text value straight from its node (most values are text).

    A value that YAML reads but that is no value at all (an escaped control character, 2024-02-30,
    a number of thousands of digits) is refused with its node's place, as `BadValue`.
    """

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        if node.__class__ is ScalarNode:
            # Only an escape of a double-quoted text makes a control character: the file's text
            # itself was searched for them before parsing (`load`).
            control = CONTROL.search(node.value) if node.style == '"' else None
            if control:
                raise BadValue(
                    node,
                    _("the text holds the invisible control character {character}").format(
                        character=f"U+{ord(control.group()):04X}"
                    ),
                    _("delete the escape (such as \\x01 or \\v) from the quoted text"),
                )
            if node.tag == _TEXT_TAG:
                return node.value
        return super().construct_object(node, deep)

    def construct_document(self, node: Node) -> Any:
        """As PyYAML's, but texts, lists and mappings (most of a job description) are built
        straight, without PyYAML's generators; any other node goes PyYAML's own way. A node
        reached twice (an alias, a shared include) is built once: the same value."""
        self._built: dict[int, Any] = {}
        try:
            return self._value(node)
        finally:
            self._built = {}

    def _value(self, node: Node) -> Any:
        if isinstance(node, ScalarNode) and node.tag == _TEXT_TAG and node.style != '"':
            return node.value
        if id(node) in self._built:
            return self._built[id(node)]
        value: Any
        if isinstance(node, SequenceNode) and node.tag == _LIST_TAG:
            value = [self._value(item) for item in node.value]
        elif isinstance(node, MappingNode) and node.tag == _MAPPING_TAG:
            value = self._mapping(node)
        else:
            value = self.construct_object(node, deep=True)
        self._built[id(node)] = value
        return value

    def _mapping(self, node: MappingNode) -> dict:
        if any(key.tag in _MERGE_TAGS for key, _ in node.value):
            self.flatten_mapping(node)  # `<<` merges, in place, as PyYAML does
        mapping = {}
        for key_node, value_node in node.value:
            key = self._value(key_node)
            if not isinstance(key, Hashable):
                where = node.start_mark
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", where, "found unhashable key", key_node.start_mark
                )
            mapping[key] = self._value(value_node)
        return mapping

    def construct_yaml_timestamp(self, node: ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise BadValue(
                node,
                _("{value} is not a real date ({problem})").format(
                    value=node.value,
                    problem=_(_DATE_PROBLEMS[str(exc)]) if str(exc) in _DATE_PROBLEMS else exc,
                ),
                _("write a day that exists, as YYYY-MM-DD, e.g. 2024-12-13"),
            ) from None

    def construct_yaml_int(self, node: ScalarNode) -> Any:
        try:
            value = super().construct_yaml_int(node)
        except ValueError:
            value = None
        if value is None or abs(value).bit_length() > _MAX_INT_BITS:
            raise BadValue(
                node,
                _("the number {start}… is far too long ({count} characters)").format(
                    start=node.value[:12], count=len(node.value)
                ),
                _("shorten it, or write it in quotes if it is meant as text"),
            )
        return value


Constructor.add_constructor(  # type: ignore[type-var]
    "tag:yaml.org,2002:timestamp", Constructor.construct_yaml_timestamp
)
Constructor.add_constructor("tag:yaml.org,2002:int", Constructor.construct_yaml_int)  # type: ignore[type-var]


class BadValue(yaml.constructor.ConstructorError):
    """A value of the file that cannot be one of the format's values, at its node."""

    def __init__(self, node: Node, message: str, hint: str) -> None:
        super().__init__(None, None, message, node.start_mark)
        self.hint = hint


_TEXT_TAG = "tag:yaml.org,2002:str"
_LIST_TAG = "tag:yaml.org,2002:seq"
_MAPPING_TAG = "tag:yaml.org,2002:map"
_MERGE_TAGS = ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")
# Characters that are no text: C0 and C1 controls but tab, line feed and carriage return, and the
# non-characters U+FFFE and U+FFFF (YAML and XML refuse them; Word would call the file damaged).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_MAX_INT_BITS = 100  # about 30 digits: no value of the format needs more
_DATE_PROBLEMS = {
    "day is out of range for month": N_("that month has no such day"),
    "month must be in 1..12": N_("the month is 01 to 12"),
    "year 0 is out of range": N_("the year starts from 1"),
}


class NamedText(io.StringIO):
    """A YAML text that tells the parser its file name, so every node's mark carries it."""

    def __init__(self, text: str, name: str) -> None:
        super().__init__(text)
        self.name = name


def children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return node.value
    if isinstance(node, MappingNode):
        return [value for _, value in node.value]
    return []


def expanded_size(root: Node) -> int:
    """How many values the document has once every alias and include is expanded.

    Shared nodes are counted once per use but visited once: the size is kept on each node
    (`SIZE` attribute, so it lives exactly as long as the node), and an include read by many
    files is measured once. A "billion laughs" document is measured in linear time.
    """
    stack: list[tuple[Node, bool]] = [(root, False)]
    measuring: dict[int, Node] = {}  # the nodes whose children are being measured: a path from the root
    while stack:
        node, children_done = stack.pop()
        if hasattr(node, SIZE):
            continue
        below = children(node)
        if not below:
            setattr(node, SIZE, 1)
        elif children_done:
            del measuring[id(node)]
            setattr(node, SIZE, min(1 + sum(getattr(child, SIZE) for child in below), MAX_VALUES + 1))
        elif id(node) in measuring:  # an alias to a node that holds it: endless
            for around in measuring.values():
                setattr(around, SIZE, MAX_VALUES + 1)
            return MAX_VALUES + 1
        else:
            measuring[id(node)] = node
            stack.append((node, True))
            stack.extend((child, False) for child in below if not hasattr(child, SIZE))
    return getattr(root, SIZE)


def measure(node: Node, children: list[Node]) -> None:
    """A node's expanded size from its children's, as `expanded_size` counts it, while the nodes
    are walked anyway (`load`): a child not measured yet, one of its own ancestors through an
    alias, is left to `expanded_size`."""
    sizes = [1 if child.__class__ is ScalarNode else getattr(child, SIZE, None) for child in children]
    if None not in sizes:
        setattr(node, SIZE, min(1 + sum(sizes), MAX_VALUES + 1))  # type: ignore[arg-type]


def blame(node: Node) -> Node:
    """The innermost node that alone expands past the limit: where to point the user."""
    seen = set()
    while id(node) not in seen:  # around an alias to a node that holds it: that node
        seen.add(id(node))
        big = [child for child in children(node) if getattr(child, SIZE, 0) > MAX_VALUES]
        if not big:
            return node
        node = big[0]
    return node


SIZE = "jdgen_expanded_size"  # set by `expanded_size`, or by whoever measured a node while walking it


def yaml_problem(problem: str) -> str:
    """libyaml's `problem` in the user's language: its phrases are a fixed few (a quoted tail, like
    a tag's name, stays as written); one not among them is said as libyaml says it."""
    for english in (*_YAML_PROBLEMS, *_YAML_SAID_OTHERWISE):
        if problem.startswith(english):
            return _(_YAML_SAID_OTHERWISE.get(english, english)) + problem[len(english) :]
    return problem


_YAML_PROBLEMS = (  # libyaml's scanner, parser and composer, as PyYAML's C loader reports them
    N_("mapping values are not allowed in this context"),
    N_("block sequence entries are not allowed in this context"),
    N_("did not find expected key"),
    N_("did not find expected '-' indicator"),
    N_("did not find expected node content"),
    N_("did not find expected ',' or ']'"),
    N_("did not find expected ',' or '}'"),
    N_("did not find expected comment or line break"),
    N_("could not find expected ':'"),
    N_("found unexpected end of stream"),
    N_("found character that cannot start any token"),
    N_("found unknown escape character"),
    N_("found undefined alias"),
    N_("found a tab character"),
    N_("could not determine a constructor for the tag"),
)
_YAML_SAID_OTHERWISE = {"second occurrence": N_("an anchor of the same name is already defined above")}


def yaml_hint(problem: str) -> str:
    """What to do about libyaml's `problem`, in the user's language (libyaml's own words stay)."""
    for marks, hint in _YAML_HINTS:
        if any(mark in problem for mark in marks):
            return _(hint)
    return _("check the YAML syntax at that line")


_YAML_HINTS = (
    (("nesting depth",), N_("a job description needs a few levels of indentation, not hundreds")),
    (("sequence entries are not allowed",), N_('a lone - starts a list in YAML: write it in quotes, "-"')),
    (
        ("mapping values are not allowed",),
        N_("check the indentation, and put text that contains ': ' in quotes"),
    ),
    (
        ("expected <block end>", "did not find expected"),
        N_("check the indentation: items of one list or mapping start in the same column"),
    ),
    (("could not determine a constructor",), N_("only !include is allowed as a tag; remove the tag")),
    (("found character '\\t'", "tab character"), N_("indent with spaces, not tabs")),
    (("found undefined alias",), N_("an *alias needs an &anchor of the same name earlier in the file")),
)
