"""The paths a project's YAML files name (an annex, a unit, an `!include`, the template), checked:
relative to the project folder, inside it (links resolved), and each spelling looked at once."""

from __future__ import annotations

from pathlib import Path

from ..errors import Location, Problem
from ..i18n import N_, _

_REFERENCES = (N_("annex"), N_("unit"), N_("!include"), N_("template"))  # what names a file, in messages


class References:
    """The paths written in one project's files, each checked once; what is wrong goes to `problems`."""

    def __init__(self, root: Path, problems: list[Problem]) -> None:
        self.root = root
        self.problems = problems
        self._known: dict[str, str] = {}
        self._folders: dict[Path, Path] = {}  # a folder as written -> as resolved (`_real`)

    def resolve(self, text: str, at: Location, what: str) -> str | None:
        """Check a project-relative path written in YAML; return it normalised, or report why not."""
        if isinstance(text, str) and text in self._known:
            return self._known[text]
        target = self._check_reference(text, at, what)
        if target is not None:
            self._known[text] = target
        return target

    def _check_reference(self, text: str, at: Location, what: str) -> str | None:
        what = _(what)  # "annex", "unit", "!include", "template" (_REFERENCES)
        if not isinstance(text, str) or not text.strip():
            self._report(at, _("{what} must be a path such as positions/unit/file.yaml").format(what=what))
            return None
        if Path(text).is_absolute() or text.startswith(("~", "\\")) or ":" in text[:3]:
            self._report(
                at,
                _("{what} {path!r} is an absolute path").format(what=what, path=text),
                _("write it relative to the project folder, e.g. templates/kaskkiri.docx")
                if what == _("template")
                else _("write it relative to the project folder, e.g. positions/_shared/x.yaml"),
            )
            return None
        try:
            target = self._real(self.root / text)
        except OSError as exc:  # a name too long for the file system, a loop of links
            self._report(
                at,
                _("{what} {path!r} cannot be a file here ({problem})").format(
                    what=what, path=text[:80] + ("…" if len(text) > 80 else ""), problem=exc.strerror
                ),
                _("give the path of a file of the project, e.g. positions/_shared/x.yaml"),
            )
            return None
        if not target.is_relative_to(self.root):
            self._report(
                at,
                _("{what} {path!r} points outside the project folder").format(what=what, path=text),
                _("keep the template inside the project, e.g. in templates/")
                if what == _("template")
                else _("keep shared files inside the project, e.g. under positions/_shared/"),
            )
            return None
        return target.relative_to(self.root).as_posix()

    def _real(self, path: Path) -> Path:
        """`path.resolve()`, with its folder resolved once for all its files: a thousand annexes in
        one unit folder cost one walk of the folder's links, and one `lstat` each."""
        if path.name in ("", ".", "..") or path.is_symlink():
            return path.resolve()
        folder = path.parent
        if folder not in self._folders:
            self._folders[folder] = folder.resolve()
        return self._folders[folder] / path.name

    def _report(self, at: Location, message: str, hint: str = "") -> None:
        self.problems.append(Problem(at, message, hint=hint))
