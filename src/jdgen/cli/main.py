"""The `jdgen` command line: parses the arguments, runs the command's module, maps errors to exit codes.

The arguments are `arguments`; the commands live in `commands/`, one module per verb, imported only
when that command runs. Every error ends here: a `JdgenError` prints its problems (exit 1), a
`UsageError` one line (exit 2), an interruption ends quietly (130), and anything else is a bug, said
in one line (3; the traceback only with --debug). The exit codes are `errors.ExitCode`.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import importlib
import os
import signal
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from .. import i18n
from ..errors import ExitCode, JdgenError, UsageError
from ..i18n import _
from ..output import signals_held
from . import arguments

# Command -> its module in `commands/`.
COMMANDS = {"build": "build", "check": "check", "schema": "schema", "list": "listing", "uses": "uses",
            "new": "new", "diff": "diff", "import": "importing", "verify": "verify",
            "serve": "serve"}  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    i18n.speak_for_argparse()
    parser = arguments.parser()
    args = parser.parse_args(argv)
    previous = signal.signal(signal.SIGTERM, _interrupted)  # a kill cleans up like Ctrl-C
    started_in = Path.cwd()
    thresholds = gc.get_threshold()
    # Fewer passes of the cyclic garbage collector: a build keeps the objects of every file it reads
    # (YAML nodes and values, which hold no cycles), and the default thresholds scan them all again
    # and again; a thousand positions read in 3 s instead of 1 s (docs/design.md: "Speed").
    gc.set_threshold(100_000, 50, 1_000)
    try:
        if args.project is not None:  # -C DIR: as if jdgen were started in DIR, like git -C and make -C
            if not _is_folder(args.project):
                raise UsageError(_("-C {folder}: no such folder").format(folder=args.project))
            os.chdir(args.project)
            args.project = None
        command = importlib.import_module(f".commands.{COMMANDS[args.command]}", __package__)
        code = command.run(args)
        sys.stdout.flush()  # here, so that a closed pipe is seen while it can still be handled
        return code
    except JdgenError as exc:
        from .commands import print_problems

        print_problems(exc.problems)
        return ExitCode.INVALID
    except UsageError as exc:
        print(f"jdgen: {exc}", file=sys.stderr)
        return ExitCode.USAGE
    except KeyboardInterrupt:
        return ExitCode.INTERRUPTED
    except BrokenPipeError:  # `jdgen list | head -1`: the reader has what it wanted
        _silence_stdout()
        return ExitCode.OK
    except OSError as exc:  # a file or folder the user named that the system refuses (a name too long)
        if exc.filename is None:
            raise
        print(
            "jdgen: "
            + _("{path}: {problem}; give another name").format(
                path=str(exc.filename)[:120], problem=exc.strerror or exc
            ),
            file=sys.stderr,
        )
        return ExitCode.INVALID
    except Exception as exc:  # a bug in jdgen: say so plainly, details only under --debug
        if args.debug:
            traceback.print_exc()
        else:
            said = _("internal error: {error} (run again with --debug and report it)")
            print("jdgen: " + said.format(error=repr(exc)), file=sys.stderr)
        return ExitCode.BUG
    finally:
        signal.signal(signal.SIGTERM, previous)
        gc.set_threshold(*thresholds)
        os.chdir(started_in)


def run() -> NoReturn:
    """The `jdgen` command as a process: `main`, then an exit that does not free every object one
    by one (a build of a thousand annexes holds about 100 MB of them: 0.1–0.2 s of doing nothing
    useful). What was printed is flushed and the exit handlers run, as on a normal exit."""
    code = main()
    # The work is done: a Ctrl-C or kill now waits until the clean-up is, and the exit says it came.
    with signals_held() as came:
        atexit._run_exitfuncs()  # CPython's own step of a normal exit (typeshed lists it)
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
    os._exit(ExitCode.INTERRUPTED if came else code)


def _interrupted(number: int, frame: object) -> None:
    raise KeyboardInterrupt


def _is_folder(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # a name too long for the file system
        return False


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit raises no second BrokenPipeError."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


if __name__ == "__main__":
    sys.exit(main())
