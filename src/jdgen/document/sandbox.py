"""The Jinja that runs an agency's template: sandboxed, and with limits on what it may compute.

A template may come from someone else (another agency's, a colleague's e-mail), so it is treated
like any other input: it sees the values jdgen hands it and nothing of Python's insides (Jinja's
immutable sandbox: no attribute starting with `_`, no method that changes a list or dict, no
`lipsum`), and what it computes is bounded:

- a value it makes (a text, a list, a number's digits) holds at most `MAX_VALUE` characters or
  items: the operations that multiply are refused before they run where the result would be
  larger (`templatelimits`), every other result is checked when it is made;
- all it prints together is at most `MAX_PRINTED` characters;
- its loops and calls together take at most `MAX_STEPS` steps, and it runs at most `MAX_SECONDS`
  (the clock is read at every step).

A refusal is a `TemplateLimit` (a Jinja `SecurityError`), said by `render` in one line with the
template's file and the paragraph of the tag. The limits are far above what a directive needs
(nr 177 with a thousand annexes takes about 6 % of the steps).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable, Iterator
from types import CodeType
from typing import Any

from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

from ..i18n import _
from .templatelimits import (
    MAX_VALUE,
    TemplateLimit,
    checked,
    filter_bound,
    finite,
    refuse_binop,
    refuse_call,
    refuse_filled,
    refuse_format,
    refuse_number,
    refuse_size,
    too_large,
    weight,
)

MAX_STEPS = 5_000_000  # of one rendering: a loop's turn is a step, a call `CALL_STEPS`
CALL_STEPS = 10  # a call (a macro's above all) costs about ten turns of a loop
MAX_SECONDS = 120.0  # of one rendering
MAX_PRINTED = 200_000_000  # characters all `{{ }}` of one rendering print together

_COMPILED: dict[tuple[str, bool], CodeType] = {}  # a template part's source -> its code, newest last
_COMPILED_KEPT = 32  # parts of a few templates: a project has one, a test session several


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
        refuse_binop(operator_, left, right)
        return checked(self.binop_table[operator_](left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if getattr(__obj, "__self__", None) is __self and getattr(__obj, "__func__", None) in _METERING:
            return __obj(*args)
        __self.step(CALL_STEPS)
        if getattr(__obj, "__name__", "") == "join" and args and not finite(args[0]):
            args = (list(args[0]), *args[1:])  # a filter's generator, counted and then joined
        refuse_call(__obj, args, kwargs)
        return checked(super().call(__context, __obj, *args, **kwargs))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        text = value.__self__
        refuse_format(text)

        def sized(*args: Any, **kwargs: Any) -> str:
            values = [*args, *kwargs.values()]
            if value.__name__ == "format_map" and args and isinstance(args[0], dict):
                values = list(args[0].values())
            refuse_filled(text, text.count("{"), values)
            return wrapped(*args, **kwargs)

        return sized

    def count_loop(self, iterable: Any) -> Iterable[Any]:
        """A `{% for %}`'s iterable, each item a step: a short list's all at once, before the loop
        starts; a long one's or an iterator's as they come."""
        if isinstance(iterable, _SIZED) and len(iterable) <= _COUNTED_AT_ONCE:
            self.step(len(iterable))  # the clock is read here, at most this many turns apart
            return iterable
        return _CountedLoop(iterable, self)

    def print_checked(self, value: Any) -> Any:
        """What `{{ value }}` prints (the environment's `finalize`): nothing for None; a value, or
        all values together, too large to print is refused before it is made text."""
        if value is None:
            return ""
        if isinstance(value, str):
            size = len(value)
        elif type(value) is int:  # a number of a list
            size = 1 + value.bit_length() // 64
        else:
            size = weight(value)
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
        """A value joined with `~`, checked for size; a step (the clock read)."""
        self.step()
        return checked(value)

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
            refuse_number(number)
        numbers = range(*args)
        if len(numbers) > MAX_VALUE:
            raise TemplateLimit(too_large(len(numbers)))
        return numbers

    # -- the template's code: every loop counted, every `~` checked ---------------------------

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        """The template of `source`, its code compiled once per process: every sandbox of a build
        renders the same template parts (a directive's body, header, footer) and Jinja's
        compiling of them, not the rendering, was most of a build of many directives. The code
        refers to its environment only at run time, so one compiled part serves every sandbox."""
        if not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        key = (source, self.finalize is not None)
        code = _COMPILED.pop(key, None)  # taken out and put back: the newest last
        if code is None:
            code = self.compile(source)
        _COMPILED[key] = code
        while len(_COMPILED) > _COMPILED_KEPT:
            del _COMPILED[next(iter(_COMPILED))]
        cls = template_class or self.template_class
        return cls.from_code(self, code, self.make_globals(globals), None)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        _Metered().visit(tree)
        return tree

    def wrap_filters(self) -> None:
        """Each filter checked like a call (filters do not go through `call`); after adding jdgen's."""
        for name, function in list(self.filters.items()):
            self.filters[name] = _checked_filter(self, name, function)


_METERING = (TemplateSandbox.count_loop, TemplateSandbox.sized)  # jdgen's own calls, not the template's
_SIZED = (list, tuple, dict, str, range, set, frozenset)
# A loop over a short list counts its turns at once; a longer one turn by turn, reading the clock
# each time: a loop's body may take long (a join of long texts), and so can nested short loops
# only as often as they start, which counts their turns first.
_COUNTED_AT_ONCE = 64


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


_SIZED_FILTERS = {"center", "indent", "wordwrap", "truncate", "batch", "slice", "format"}


def _checked_filter(sandbox: TemplateSandbox, name: str, function: Callable) -> Callable:
    """`function` with its arguments checked before and its result after it runs."""
    # A filter marked @pass_environment, @pass_context or @pass_eval_context gets that first.
    internal = 1 if hasattr(function, "jinja_pass_arg") else 0

    @functools.wraps(function)  # its name, and its mark of what Jinja passes it
    def checked_filter(*args: Any, **kwargs: Any) -> Any:
        sandbox.step()
        plain = args[internal:]
        if name in _SIZED_FILTERS:
            for value in (*plain[1:], *kwargs.values()):
                refuse_number(value)
        bound = filter_bound(name, plain, kwargs)
        if bound is not None:
            refuse_size(bound)
        return checked(function(*args, **kwargs))

    return checked_filter
