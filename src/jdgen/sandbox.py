"""The Jinja that runs an agency's template: sandboxed, and with limits on what it may compute.

A template may come from someone else (another agency's, a colleague's e-mail), so it is treated
like any other input: it sees the values jdgen hands it and nothing of Python's insides (Jinja's
immutable sandbox: no attribute starting with `_`, no method that changes a list or dict, no
`lipsum`), and what it computes is bounded:

- a value it makes (a text, a list, a number's digits) holds at most `MAX_VALUE` characters or
  items: operations that multiply (`*`, `**`, `%` and `format` widths, `join`, `replace`,
  `indent`, `center`, …) are refused *before* they run where the result would be larger;
- its loops and calls together take at most `MAX_STEPS` steps, and it runs at most `MAX_SECONDS`.

A refusal is a `TemplateLimit` (a Jinja `SecurityError`), said by `render` in one line with the
template's file and the paragraph of the tag. The limits are far above what a directive needs
(nr 177 with a thousand annexes takes about 1 % of the steps).
"""

from __future__ import annotations

import re
import string
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from jinja2.visitor import NodeTransformer

from .i18n import _

MAX_VALUE = 2_000_000  # characters or items in one value a template makes
MAX_STEPS = 5_000_000  # of one rendering: a loop's turn is a step, a call `CALL_STEPS`
CALL_STEPS = 10  # a call (a macro's above all) costs about ten turns of a loop
MAX_SECONDS = 120.0  # of one rendering
MAX_WIDTH = 100_000  # a width or precision in a format (`%10s`, `{:>10}`)
MAX_PRINTED = 200_000_000  # characters all `{{ }}` of one rendering print together


class TemplateLimit(SecurityError):
    """The template asked for more than a template may compute."""


class TemplateSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with jdgen's limits on sizes, steps and time; one per rendering."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals.pop("lipsum", None)  # random Latin of any length: nothing a document needs
        self.globals["range"] = self._range
        self.steps = 0
        self.started = time.monotonic()
        self.printed = 0  # characters printed by `{{ }}`, all together
        self._safe: dict[tuple[type, str], bool] = {}  # (type, attribute) -> may a template read it

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        # Jinja's answer depends on the object's type and the attribute's name only: asked once.
        key = (type(obj), attr)
        safe = self._safe.get(key)
        if safe is None:
            safe = self._safe[key] = super().is_safe_attribute(obj, attr, value)
        return safe

    def getattr(self, obj: Any, attribute: str) -> Any:
        if self._safe.get((type(obj), attribute)):  # the common case, without Jinja's checks again
            try:
                value = getattr(obj, attribute)
            except AttributeError:
                pass
            else:
                if not callable(value):
                    return value
        return super().getattr(obj, attribute)

    # -- what the template computes --------------------------------------------------------

    def call_binop(self, context: Any, operator_: str, left: Any, right: Any) -> Any:
        _refuse_binop(operator_, left, right)
        return _checked(self.binop_table[operator_](left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        __self.step(CALL_STEPS)
        if getattr(__obj, "__name__", "") == "join" and args and not _finite(args[0]):
            args = (list(args[0]), *args[1:])  # a filter's generator, counted and then joined
        _refuse_call(__obj, args, kwargs)
        return _checked(super().call(__context, __obj, *args, **kwargs))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        text = value.__self__
        _refuse_format(text)

        def sized(*args: Any, **kwargs: Any) -> str:
            values = [*args, *kwargs.values()]
            if value.__name__ == "format_map" and args and isinstance(args[0], dict):
                values = list(args[0].values())
            fields = text.count("{")
            _refuse_size(len(text) + fields * max([0, *(weight(v) for v in values)]))
            return wrapped(*args, **kwargs)

        return sized

    def count_loop(self, iterable: Any) -> Iterable[Any]:
        """A `{% for %}`'s iterable, each item a step."""
        return _CountedLoop(iterable, self)

    def print_checked(self, value: Any) -> Any:
        """What `{{ value }}` prints (the environment's `finalize`): nothing for None; a value, or
        all values together, too large to print is refused before it is made text."""
        if value is None:
            return ""
        size = len(value) if type(value) is str else weight(value)
        if size > MAX_VALUE:
            raise TemplateLimit(
                _("the template prints a value of more than {limit:,} characters or items").format(
                    limit=MAX_VALUE
                )
            )
        self.printed += size
        if self.printed > MAX_PRINTED:
            raise TemplateLimit(
                _("the template prints more than {limit:,} characters in all").format(limit=MAX_PRINTED)
            )
        return value

    def sized(self, value: Any) -> Any:
        """A value joined with `~`, checked for size."""
        return _checked(value)

    def step(self, cost: int = 1) -> None:
        self.steps += cost
        if self.steps > MAX_STEPS:
            raise TemplateLimit(
                _("the template takes more than {limit:,} steps (turns of loops and calls)").format(
                    limit=MAX_STEPS
                )
            )
        if time.monotonic() - self.started > MAX_SECONDS:
            raise TemplateLimit(
                _("the template runs longer than {limit:g} seconds").format(limit=MAX_SECONDS)
            )

    def _range(self, *args: int) -> range:
        for number in args:
            _refuse_number(number)
        numbers = range(*args)
        if len(numbers) > MAX_VALUE:
            raise TemplateLimit(_too_large(len(numbers)))
        return numbers

    # -- the template's code: every loop counted, every `~` checked ---------------------------

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        _Metered().visit(tree)
        return tree

    def wrap_filters(self) -> None:
        """Each filter checked like a call (filters do not go through `call`); after adding jdgen's."""
        for name, function in list(self.filters.items()):
            self.filters[name] = _checked_filter(self, name, function)


class _Metered(NodeTransformer):
    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = _environment_call("count_loop", node.iter)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return _environment_call("sized", node)


def _environment_call(method: str, argument: nodes.Node) -> nodes.Call:
    call = nodes.Call(nodes.EnvironmentAttribute(method), [argument], [], None, None)
    call.set_lineno(argument.lineno or 1)
    return call


class _CountedLoop:
    """An iterable whose items each count as a step; its length is the iterable's (`loop.length`)."""

    def __init__(self, iterable: Any, sandbox: TemplateSandbox) -> None:
        self.iterable, self.sandbox = iterable, sandbox

    def __iter__(self) -> Iterator[Any]:
        step = self.sandbox.step
        for item in self.iterable:
            step()
            yield item

    def __len__(self) -> int:
        return len(self.iterable)


# -- sizes ------------------------------------------------------------------------------------


def weight(value: Any, limit: int = MAX_VALUE) -> int:
    """About how many characters or items `value` holds, a list held twice counted twice (as it is
    printed twice), counted only as far as just past `limit`. (No list a template makes holds
    itself: the sandbox lets no list or dict be changed.)"""
    total, pending = 0, [value]
    while pending and total <= limit:
        item = pending.pop()
        if isinstance(item, str | bytes | bytearray):
            total += len(item)
        elif isinstance(item, bool | float | None):
            total += 1
        elif isinstance(item, int):
            total += 1 + item.bit_length() // 64
        elif isinstance(item, list | tuple | set | frozenset | dict | range):
            total += 1
            if isinstance(item, range):
                total += len(item)
            elif isinstance(item, dict):
                pending.extend(item.keys())
                pending.extend(item.values())
            else:
                pending.extend(item)
        else:
            total += 1
    return total


def _checked(value: Any) -> Any:
    if type(value) is str:
        if len(value) > MAX_VALUE:
            raise TemplateLimit(_too_large(len(value)))
        return value
    if isinstance(value, str | bytes | bytearray | list | tuple | set | frozenset | dict | int):
        size = weight(value)
        if size > MAX_VALUE:
            raise TemplateLimit(_too_large(size))
    return value


def _too_large(size: int) -> str:
    return _("the template makes a value of more than {limit:,} characters or items ({size:,})").format(
        limit=MAX_VALUE, size=size
    )


def _refuse_number(number: Any) -> None:
    if isinstance(number, int) and abs(number) > MAX_VALUE:
        raise TemplateLimit(
            _("the template uses the number {number}, larger than {limit:,}").format(
                number=_short(number), limit=MAX_VALUE
            )
        )


def _short(number: int) -> str:
    digits = number.bit_length() * 0.30103
    return f"{number}" if digits < 30 else f"~10^{digits:.0f}"


def _refuse_size(size: float) -> None:
    if size > MAX_VALUE:
        raise TemplateLimit(_too_large(int(min(size, 10**18))))


def _refuse_binop(operator_: str, left: Any, right: Any) -> None:
    sequence = (str, bytes, list, tuple)
    if operator_ == "*":
        if isinstance(left, sequence) and isinstance(right, int):
            _refuse_size(weight(left, MAX_VALUE) * max(right, 0))
        elif isinstance(right, sequence) and isinstance(left, int):
            _refuse_size(weight(right, MAX_VALUE) * max(left, 0))
        elif isinstance(left, int) and isinstance(right, int):
            _refuse_size((left.bit_length() + right.bit_length()) / 64)
    elif operator_ == "**":
        if isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 0:
            _refuse_size(left.bit_length() * right / 64)
    elif operator_ == "%" and isinstance(left, str):
        _refuse_percent(left, right)
        values = (
            list(right.values())
            if isinstance(right, dict)
            else right
            if isinstance(right, tuple)
            else [right]
        )
        _refuse_size(len(left) + left.count("%") * max([0, *(weight(v) for v in values)]))
    elif operator_ == "+" and isinstance(left, sequence) and isinstance(right, sequence):
        _refuse_size(weight(left) + weight(right))


_PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def _refuse_percent(text: str, values: Any = ()) -> None:
    """A %-format whose width or precision is too large (`'%099999999d' % 1`)."""
    for width, precision in _PERCENT.findall(text):
        for number in (width, precision):
            if number == "*" or (number and int(number) > MAX_WIDTH):
                raise TemplateLimit(
                    _("the template formats with a width of {width}, more than {limit:,}").format(
                        width=number, limit=MAX_WIDTH
                    )
                )


def _refuse_format(text: str) -> None:
    """A str.format whose width or precision is too large, or comes from a value."""
    try:
        specs = [spec for _literal, _field, spec, _conversion in string.Formatter().parse(text) if spec]
    except ValueError:
        return  # format() will say what is wrong with it
    for spec in specs:
        numbers = re.findall(r"\d+", spec)
        if "{" in spec or any(int(number) > MAX_WIDTH for number in numbers):
            raise TemplateLimit(
                _("the template formats with a width of {width}, more than {limit:,}").format(
                    width=spec, limit=MAX_WIDTH
                )
            )


# Methods of texts and lists whose result can be much larger than what they are given.
_GROWING = {"join", "replace", "expandtabs", "center", "ljust", "rjust", "zfill", "translate", "format"}


def _refuse_call(function: Any, args: tuple, kwargs: dict) -> None:
    owner = getattr(function, "__self__", None)
    name = getattr(function, "__name__", "")
    if isinstance(owner, str | bytes) and name in _GROWING:
        for value in (*args, *kwargs.values()):
            _refuse_number(value)
        _refuse_size(_grown(name, owner, args, kwargs))


def _grown(name: str, text: str | bytes, args: tuple, kwargs: dict) -> float:
    """An upper bound of the size of `text.name(*args)`."""
    values = [*args, *kwargs.values()]
    numbers = [v for v in values if isinstance(v, int)]
    if name == "join" and values:
        items = list(values[0]) if not isinstance(values[0], str | bytes) else values[0]
        return weight(items) + len(text) * len(items)
    if name == "replace" and len(values) >= 2:
        old, new = weight(values[0]), weight(values[1])
        return len(text) + (len(text) + 1) * new / max(old, 1)
    if name in ("center", "ljust", "rjust", "zfill"):
        return max([len(text), *numbers])
    if name == "expandtabs":
        return len(text) * max([8, *numbers])
    return (len(text) + 1) * (1 + sum(weight(v) for v in values))


# Filters whose result can be much larger than what they are given: an upper bound of it.
def _filter_bound(name: str, args: tuple, kwargs: dict) -> float | None:
    if not args:
        return None
    value, rest = args[0], [*args[1:], *kwargs.values()]
    numbers = [v for v in rest if isinstance(v, int) and not isinstance(v, bool)]
    texts = [v for v in rest if isinstance(v, str)]
    size = weight(value)
    if name == "join":
        items = value if isinstance(value, str) else list(value) if _finite(value) else ()
        return weight(items) + len(items) * max([0, *(len(t) for t in texts)])
    if name == "replace":
        new = len(texts[1]) if len(texts) > 1 else 0
        return size + (size + 1) * new
    if name == "indent":
        lines = str(value).count("\n") + 1 if isinstance(value, str) else size
        return size + lines * max([4, *numbers, *(len(t) for t in texts)])
    if name == "center":
        return max([size, *numbers])
    if name == "wordwrap":
        return size * (2 + max([0, *(len(t) for t in texts)]))
    if name == "sum":
        return sum(weight(item) for item in value) if _finite(value) else None
    if name == "format" and isinstance(value, str):
        _refuse_percent(value)
    return None


def _finite(value: Any) -> bool:
    return isinstance(value, list | tuple | set | frozenset | dict | range | str)


_SIZED_FILTERS = {"center", "indent", "wordwrap", "truncate", "batch", "slice", "format"}


def _checked_filter(sandbox: TemplateSandbox, name: str, function: Callable) -> Callable:
    """`function` with its arguments checked before and its result after it runs."""

    def checked(*args: Any, **kwargs: Any) -> Any:
        sandbox.step()
        plain = [a for a in args if not _is_jinja_internal(a)]
        if name in _SIZED_FILTERS:
            for value in (*plain[1:], *kwargs.values()):
                _refuse_number(value)
        bound = _filter_bound(name, tuple(plain), kwargs)
        if bound is not None:
            _refuse_size(bound)
        return _checked(function(*args, **kwargs))

    for attribute in ("jinja_pass_arg",):  # @pass_environment, @pass_context, …
        if hasattr(function, attribute):
            setattr(checked, attribute, getattr(function, attribute))
    checked.__name__ = getattr(function, "__name__", name)
    return checked


def _is_jinja_internal(value: Any) -> bool:
    """The environment, context or eval context Jinja passes to a filter first."""
    from jinja2.nodes import EvalContext
    from jinja2.runtime import Context

    return isinstance(value, TemplateSandbox | Context | EvalContext)
