"""jdgen's own words in the user's language: Estonian where the locale is Estonian, English otherwise.

Messages are written in English in the code and wrapped in `_()` (`n_()` where a count decides
the form, `p_()` where one English word needs two translations); `locale/et/LC_MESSAGES/jdgen.po`
holds their Estonian, compiled into `jdgen.mo` by `make catalogs` (Babel), and a test keeps the two
in step. gettext chooses the language from LANGUAGE, LC_ALL, LC_MESSAGES and LANG, as GNU programs
do (`LANG=et_EE.UTF-8 jdgen check`). A message without a translation is said in English. The
document's own text is never translated: it is the user's.
"""

from __future__ import annotations

import gettext
from pathlib import Path

DOMAIN = "jdgen"
LOCALE_DIR = Path(__file__).parent / "locale"

_catalog = gettext.translation(DOMAIN, LOCALE_DIR, fallback=True)


def speak_for_argparse() -> None:
    """Make jdgen's catalog the program's gettext domain: argparse looks its own words up there
    ("usage: ", "options", its error messages: `cli.ARGPARSE_WORDS`)."""
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)


def catalog() -> gettext.NullTranslations:
    """The catalog itself, for what translates through gettext's interface (the preview's pages)."""
    return _catalog


def _(message: str) -> str:
    """`message` in the user's language."""
    return _catalog.gettext(message)


def N_(message: str) -> str:
    """Marks `message` for the catalog where it is translated later, by `_(message)`."""
    return message


def p_(context: str, message: str) -> str:
    """`message` in the user's language, where the same English word needs another translation in
    `context` ("annexes" as a heading of changes, not as a count)."""
    return _catalog.pgettext(context, message)


def n_(one: str, many: str, count: int) -> str:
    """The form of `one`/`many` for `count`, in the user's language."""
    return _catalog.ngettext(one, many, count)
