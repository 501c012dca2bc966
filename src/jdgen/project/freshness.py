"""Which directives a build must make again, decided as make would but in one process: a
directive whose files are missing, or older than a file it was built from (its depfile, written
with its files, lists them: the depfile's time is the build's), or that other code made. And the
one rule that lets make skip starting jdgen when nothing changed.

`make` runs `jdgen build --outdated` only when its stamp `build/.directives` is older than a file
some directive was built from (`build/.directives.d` lists them all), so that an edit of a shared
include rebuilds its hundred directives in one run, and no edit costs no Python at all.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..output import Outputs, code_mark, display_path, make_rule

STAMP = ".directives"  # in the output folder: when every directive was last brought up to date


def outdated(root: Path, name: str, output: Path, suffixes: list[str]) -> bool:
    """Whether the directive `name` must be built again into `output`."""
    stem = Path(name).stem
    depfile = output / f"{stem}.d"
    try:
        built = depfile.stat().st_mtime
    except OSError:
        return True
    sources = _sources(depfile)
    if sources is None or any(not (output / f"{stem}{suffix}").is_file() for suffix in suffixes):
        return True
    for source in sources:
        try:
            if (root / source).stat().st_mtime > built:
                return True
        except OSError:
            return True  # a file it was built from is gone: build it to say so
    return False


def stamp_all(names: list[str], output: Path) -> None:
    """After every directive is up to date: the stamp, and its rule listing every file any of
    them was built from (a deleted file's empty rule lets make go on, as for each directive)."""
    sources: set[str] = set()
    for name in names:
        sources |= set(_sources(output / f"{Path(name).stem}.d") or ())
    stamp = output / STAMP
    with Outputs() as staged:
        staged.stage(output / f"{STAMP}.d", make_rule([display_path(stamp)], sorted({*names, *sources})))
        staged.stage(stamp, b"")
        staged.commit()


def _sources(depfile: Path) -> list[str] | None:
    """The files a depfile's rule lists, or None where it is no rule of this jdgen's code."""
    try:
        lines = depfile.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    if not lines or ": " not in lines[0] or lines[-1] != f"# {code_mark()}":
        return None
    listed = re.split(r"(?<!\\) ", lines[0].partition(": ")[2])
    return [name.replace("\\ ", " ") for name in listed if name]
