"""How much a template may compute, and what an operation would make before it runs.

`sandbox` runs the agency's template; this module is its arithmetic of sizes: how many characters
or items a value holds (`weight`), and an upper bound of what a multiplying operation would make
(`*`, `**`, `%` and `format`, `join`, `replace`, `center`, `indent`, …), refused with a
`TemplateLimit` before the operation runs where it would pass `MAX_VALUE`.
"""

from __future__ import annotations

import re
import string
from typing import Any

from jinja2.sandbox import SecurityError

from ..i18n import _

MAX_VALUE = 2_000_000  # characters or items in one value a template makes
MAX_WIDTH = 100_000  # a width or precision in a format (`%10s`, `{:>10}`)


class TemplateLimit(SecurityError):
    """The template asked for more than a template may compute."""


def weight(value: Any) -> int:
    """About how many characters or items `value` holds, a list held twice counted twice (as it is
    printed twice), counted only as far as just past `MAX_VALUE`. (No list a template makes holds
    itself: the sandbox lets no list or dict be changed.)"""
    total, pending = 0, [value]
    while pending and total <= MAX_VALUE:
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


def checked(value: Any) -> Any:
    """`value`, if it is not too large."""
    if type(value) is str:
        if len(value) > MAX_VALUE:
            raise TemplateLimit(too_large(len(value)))
        return value
    if isinstance(value, str | bytes | bytearray | list | tuple | set | frozenset | dict | int):
        size = weight(value)
        if size > MAX_VALUE:
            raise TemplateLimit(too_large(size))
    return value


def too_large(size: int) -> str:
    return _("the template makes a value of more than {limit:,} characters or items ({size:,})").format(
        limit=MAX_VALUE, size=size
    )


def refuse_number(number: Any) -> None:
    if isinstance(number, int) and abs(number) > MAX_VALUE:
        raise TemplateLimit(
            _("the template uses the number {number}, larger than {limit:,}").format(
                number=_short(number), limit=MAX_VALUE
            )
        )


def _short(number: int) -> str:
    digits = number.bit_length() * 0.30103
    return f"{number}" if digits < 30 else f"~10^{digits:.0f}"


def refuse_size(size: float) -> None:
    if size > MAX_VALUE:
        raise TemplateLimit(too_large(int(min(size, 10**18))))


def refuse_binop(operator_: str, left: Any, right: Any) -> None:
    sequence = (str, bytes, list, tuple)
    if operator_ == "*":
        if isinstance(left, sequence) and isinstance(right, int):
            refuse_size(weight(left) * max(right, 0))
        elif isinstance(right, sequence) and isinstance(left, int):
            refuse_size(weight(right) * max(left, 0))
        elif isinstance(left, int) and isinstance(right, int):
            refuse_size((left.bit_length() + right.bit_length()) / 64)
    elif operator_ == "**":
        if isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 0:
            refuse_size(left.bit_length() * right / 64)
    elif operator_ == "%" and isinstance(left, str):
        _refuse_percent(left)
        values = right.values() if isinstance(right, dict) else right if isinstance(right, tuple) else [right]
        refuse_filled(left, left.count("%"), values)
    elif operator_ == "+" and isinstance(left, sequence) and isinstance(right, sequence):
        refuse_size(weight(left) + weight(right))


_PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def _refuse_percent(text: str) -> None:
    """A %-format whose width or precision is too large (`'%099999999d' % 1`)."""
    for width, precision in _PERCENT.findall(text):
        for number in (width, precision):
            if number == "*" or (number and int(number) > MAX_WIDTH):
                raise TemplateLimit(
                    _("the template formats with a width of {width}, more than {limit:,}").format(
                        width=number, limit=MAX_WIDTH
                    )
                )


def refuse_filled(text: str, slots: int, values: Any) -> None:
    """A format with `slots` places, each filled with the largest of `values` (`%(a)s` ten times
    filled with a million characters is ten million)."""
    refuse_size(len(text) + slots * max([0, *(weight(value) for value in values)]))


def refuse_format(text: str) -> None:
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


def refuse_call(function: Any, args: tuple, kwargs: dict) -> None:
    owner = getattr(function, "__self__", None)
    name = getattr(function, "__name__", "")
    if isinstance(owner, str | bytes) and name in _GROWING:
        for value in (*args, *kwargs.values()):
            refuse_number(value)
        refuse_size(_grown(name, owner, args, kwargs))


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
_BOUNDED = frozenset({"join", "replace", "indent", "center", "wordwrap", "sum", "format"})
_SIZED_BY_VALUE = frozenset({"replace", "indent", "center", "wordwrap"})  # bounds that need the value's size


def filter_bound(name: str, args: tuple, kwargs: dict) -> float | None:
    if not args or name not in _BOUNDED:
        return None
    value, rest = args[0], [*args[1:], *kwargs.values()]
    numbers = [v for v in rest if isinstance(v, int) and not isinstance(v, bool)]
    texts = [v for v in rest if isinstance(v, str)]
    size = weight(value) if name in _SIZED_BY_VALUE else 0
    if name == "join":
        items = value if isinstance(value, str) else list(value) if finite(value) else ()
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
        return sum(weight(item) for item in value) if finite(value) else None
    if name == "format" and isinstance(value, str):
        _refuse_percent(value)
    return None


def finite(value: Any) -> bool:
    return isinstance(value, list | tuple | set | frozenset | dict | range | str)
