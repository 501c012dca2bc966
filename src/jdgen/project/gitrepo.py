"""The project's git repository: what changed since a revision, and the project as it was then.

jdgen only reads git (`git diff`, `git ls-files`, `git archive`); a git that is missing or a
revision that does not exist is the user's to fix, said in one line.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

from ..errors import JdgenError, UsageError
from ..i18n import _


def git(root: Path, *args: str) -> bytes:
    """Run git in `root`; its standard output."""
    try:
        result = subprocess.run(
            ["git", "-c", "core.quotepath=off", "-C", str(root), *args],
            capture_output=True,
            check=False,
            timeout=120,
        )
    except FileNotFoundError:
        raise JdgenError.at("git", _("git is not installed"), hint=_("install git")) from None
    if result.returncode != 0:
        detail = (result.stderr.decode(errors="replace").strip().splitlines() or [_("git failed")])[-1]
        raise JdgenError.at(
            "git",
            _("cannot read the project from git: {problem}").format(problem=detail),
            hint=_("run inside a git clone and name a revision that exists, e.g. HEAD~1 or origin/main"),
        )
    return result.stdout


def is_repository(root: Path) -> bool:
    """Whether `root` is in a git repository with at least one commit (and git is installed)."""
    try:
        git(root, "rev-parse", "--verify", "--quiet", "HEAD")
    except (JdgenError, subprocess.TimeoutExpired):
        return False
    return True


def commit_of(root: Path, revision: str) -> str:
    """The commit `revision` names, checked to be one: a word that git would read as an option
    (`--output=FILE`) or that names no commit is the user's to fix, said in one line."""
    if revision.startswith("-") or not revision.strip() or any(ord(c) < 32 for c in revision):
        raise UsageError(
            _("{revision!r} is not a git revision: give one such as HEAD~1, a commit or origin/main").format(
                revision=revision
            )
        )
    try:
        found = git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    except JdgenError:
        git(root, "rev-parse", "--git-dir")  # no repository here (or no git): said in git's own words
        raise JdgenError.at(
            "git",
            _("no commit {revision!r} in this repository").format(revision=revision),
            hint=_("name a revision that exists, e.g. HEAD~1 or origin/main (git log lists them)"),
        ) from None
    return found.decode().strip()


def changed_since(root: Path, revision: str) -> set[str]:
    """Project-relative paths of files changed since `revision`: committed, staged, unstaged, new."""
    commit = commit_of(root, revision)
    listed = git(root, "diff", "--name-only", "--relative", "--end-of-options", commit, "--")
    untracked = git(root, "ls-files", "--others", "--exclude-standard")
    return {line for line in (listed + untracked).decode().splitlines() if line}


def project_at_revision(root: Path, revision: str, into: Path) -> Path:
    """The project folder `root` as it was at git `revision`, written under `into`."""
    commit = commit_of(root, revision)
    prefix = git(root, "rev-parse", "--show-prefix").decode().strip()
    data = git(root, "archive", "--format=tar", "--end-of-options", f"{commit}:{prefix}")
    target = into / commit
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        archive.extractall(target, filter="data")
    return target
