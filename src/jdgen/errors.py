"""The one way jdgen tells a person what is wrong: a `Problem` with file, line, key path and hint.

Every stage reports bad input as `Problem`s; a stage that cannot go on raises `JdgenError` carrying
all the problems found so far, and the CLI prints them one per line and picks the exit code.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path

from .i18n import _


class ExitCode(enum.IntEnum):
    """What `jdgen` exits with: the one table of exit codes."""

    OK = 0
    INVALID = 1  # the input files, the template or the output folder are wrong: the user's to fix
    USAGE = 2  # the command line is wrong
    BUG = 3  # a bug in jdgen: it says so in one line
    INTERRUPTED = 130  # Ctrl-C or SIGTERM


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file: project-relative path, 1-based line and column."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.column}" if self.column else f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, worded for someone who edits YAML, not Python."""

    location: Location
    message: str
    key_path: str = ""
    hint: str = ""
    warning: bool = False

    def __str__(self) -> str:
        parts = [f"{self.location}:"]
        if self.warning:
            parts.append(_("warning:"))
        if self.key_path:
            parts.append(f"{self.key_path}:")
        parts.append(self.message)
        text = " ".join(parts)
        return f"{text} — {self.hint}" if self.hint else text

    def sort_key(self) -> tuple:
        return (self.location, self.key_path, self.message)


@dataclass
class JdgenError(Exception):
    """Raised when input is wrong; carries every problem found (warnings too), not only the first."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    @classmethod
    def at(
        cls,
        file: str | Path,
        message: str,
        *,
        line: int = 0,
        column: int = 0,
        key_path: str = "",
        hint: str = "",
    ) -> JdgenError:
        """Make an error with a single problem."""
        return cls([Problem(Location(str(file), line, column), message, key_path, hint)])


class UsageError(Exception):
    """The command line itself is wrong (exit code 2), as opposed to the input files (exit code 1)."""
