"""`jdgen serve`: the live preview on 127.0.0.1 — each directive as it will be signed, the problems
and what changed, updated in the open page whenever a source file is saved.

aiohttp serves the pages; watchdog watches the project folder; the state is `preview`'s, rebuilt
with a LibreOffice kept running; the project is read in a process of its own (`checker`), on
every core. Every response comes from that state in memory:
no path of a request is ever opened on disk, so nothing outside the project's outputs can be
reached, and an unknown name is 404. The pages are Jinja templates with autoescaping: a value from
the YAML is always text in the page, never markup. The page listens to `/events` (server-sent
events) and fetches its new `<main>` when the state changes: no reload by hand.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import os
import sys
from dataclasses import replace
from importlib import resources
from pathlib import Path

import jinja2
from aiohttp import web
from watchdog.observers import Observer

from ... import i18n
from ...errors import ExitCode, UsageError
from ...i18n import _
from ...pdf.office import Office
from ...preview import state as preview
from ...preview.checker import Checker
from ...preview.localhost import HEADERS, local_only
from ...preview.sourcelinks import Editor, SourceLines
from ...preview.watching import SavedSources
from ...project import forks
from . import open_project

HOST = "127.0.0.1"
HEADER_SECONDS = 10.0
QUIET = 0.3  # seconds without a save before the preview is rebuilt (an editor saves in bursts)


def run(args: argparse.Namespace) -> ExitCode:
    root = open_project().root
    editor = Editor(root, args.editor or os.environ.get("JDGEN_EDITOR") or "vscode")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(root, args.port, editor))
    return ExitCode.OK


class Preview:
    """The running preview: its state, the pages listening for changes, the directives looked at
    (made first, the others only when they are looked at), the rebuilds."""

    def __init__(self, root: Path, office: Office, checker: Checker, editor: Editor) -> None:
        self.root = root
        self.editor = editor
        self.office = office
        self.checker = checker
        self.state = preview.State()
        self.listeners: set[asyncio.Queue[int]] = set()
        self.changed = asyncio.Event()
        self.saved: set[str] = set()  # the sources saved since the last reading (project-relative)
        self.looked_at: list[str] = []  # directives' stems, the one looked at last first
        self.wanted = asyncio.Event()  # a directive looked at may need making
        self.checked = 0  # how many times the project was read: a document made before is not current
        self.positions: dict[str, preview.PositionDraft] = {}  # the positions opened last, alone
        self.positions_opened: list[str] = []  # their files, the one opened last first
        self.making: dict[str, asyncio.Future[None]] = {}  # the positions being laid out now
        self.one_at_a_time = asyncio.Lock()  # a directive or a position made at a time

    def look_at(self, stem: str) -> None:
        """The directive's page was asked for: it is made first, and kept."""
        if stem in self.state.directives or self.state.version == 0:
            self.looked_at = [stem, *(s for s in self.looked_at if s != stem)][: preview.KEPT]
            self.wanted.set()

    def save(self, files: list[str]) -> None:
        """Sources were saved (in the event loop's thread)."""
        self.saved.update(files)
        self.changed.set()

    async def rebuild_on_change(self) -> None:
        loop = asyncio.get_running_loop()
        making = asyncio.ensure_future(self._make_looked_at(loop))
        try:
            while True:
                await self._refresh(loop)
                await self.changed.wait()
                while self.changed.is_set():  # until the saves stop for a moment
                    self.changed.clear()
                    await asyncio.sleep(QUIET)
        finally:
            making.cancel()

    async def _refresh(self, loop: asyncio.AbstractEventLoop) -> None:
        """The problems of the files saved (at once), then the whole project's (a second or two
        with an agency's thousands of positions); the documents follow, those looked at first."""
        saved, self.saved = sorted(self.saved), set()
        try:
            if saved and self.state.version:
                look = await loop.run_in_executor(None, self.checker.first_look, self.root, saved)
                self._publish(preview.at_first_look(self.state, saved, look))
            survey = await loop.run_in_executor(None, self.checker.survey, self.root)
            self._publish(preview.merged(self.state, survey))  # the state now: a document made meanwhile kept
            self.checked += 1
            self.wanted.set()
        except Exception as exc:  # a bug of jdgen's: said, and the preview goes on with what it had
            self._internal_error(exc)

    async def _make_looked_at(self, loop: asyncio.AbstractEventLoop) -> None:
        """Make the directives looked at whose documents are not made from the sources as they are
        now, the one looked at last first; then wait until one is looked at or a source saved."""
        while True:
            await self.wanted.wait()
            self.wanted.clear()
            for stem in list(self.looked_at):
                entry = self.state.directives.get(stem)
                if entry is None or not entry.building:
                    continue
                checked = self.checked
                async with self.one_at_a_time:
                    try:
                        built = await loop.run_in_executor(None, preview.build, self.root, entry, self.office)
                    except Exception as exc:  # a bug of jdgen's: said, and the preview goes on
                        self._internal_error(exc)
                        continue
                    self._publish(
                        preview.with_built(self.state, built, self.looked_at, current=checked == self.checked)
                    )
                    await loop.run_in_executor(None, forks.collect_and_trim)  # the making's garbage
                    # A fresh LibreOffice for the next conversion (one that has converted takes seconds
                    # longer to take the next); it waits for nothing, and none starts after Ctrl-C.
                    self.office.renew()
                self.wanted.set()  # the others looked at, or this one again if a save came meanwhile
                break

    def position(self, rel: str, *, opened: bool) -> preview.PositionDraft | None:
        """The position laid out alone as made after the last reading, else what was made before
        (or None) while it is made again. Only the last few opened are kept and made (a page's
        update alone opens nothing: open pages never take turns pushing each other out)."""
        if opened:
            self.positions_opened = [rel, *(r for r in self.positions_opened if r != rel)]
            del self.positions_opened[preview.KEPT_POSITIONS :]
            self.positions = {r: d for r, d in self.positions.items() if r in self.positions_opened}
        made = self.positions.get(rel)
        stale = made is None or made.checked != self.checked
        if stale and rel in self.positions_opened and rel not in self.making and self.state.version:
            self.making[rel] = asyncio.ensure_future(self._make_position(rel))
        return made

    async def _make_position(self, rel: str) -> None:
        """Lay the position out, one document at a time (the directives' and the positions' share
        the one LibreOffice), then tell the open pages."""
        loop = asyncio.get_running_loop()
        try:
            _title, listing = preview.listed_position(self.state, rel) or ("", ())
            async with self.one_at_a_time:
                made = await loop.run_in_executor(
                    None, preview.position_draft, self.root, rel, self.office, self.checked, listing
                )
                await loop.run_in_executor(None, forks.collect_and_trim)
                self.office.renew()
        except Exception as exc:  # a bug of jdgen's: said, and the page says it could not
            self._internal_error(exc)
            made = preview.PositionDraft(self.checked, failed=True)
        finally:
            self.making.pop(rel, None)
        if rel in self.positions_opened:
            self.positions[rel] = made
        self._publish(replace(self.state, version=self.state.version + 1))

    def _internal_error(self, exc: Exception) -> None:
        said = _("internal error while reading the project again: {error}").format(error=repr(exc))
        print(f"jdgen: {said}", file=sys.stderr, flush=True)

    def _publish(self, state: preview.State) -> None:
        self.state = state
        for queue in list(self.listeners):
            queue.put_nowait(state.version)


async def _serve(root: Path, port: int, editor: Editor) -> None:
    with Checker() as checker, Office() as office:
        server = Preview(root, office, checker, editor)
        # A connection that has not sent a whole request within HEADER_SECONDS is closed (a client
        # sending its headers a byte at a time holds nothing open); an open page's events go on.
        runner = web.AppRunner(_app(server), access_log=None, keepalive_timeout=HEADER_SECONDS)
        await runner.setup()
        site = web.TCPSite(runner, HOST, port)
        try:
            await site.start()
        except OSError as exc:
            await runner.cleanup()
            in_use = exc.errno == errno.EADDRINUSE
            why = _("another program uses it") if in_use else (exc.strerror or str(exc))
            raise UsageError(
                _(
                    "--port {port}: cannot listen on {host}:{port} ({why}); "
                    "choose another port, e.g. --port 0 for any free one"
                ).format(port=port, host=HOST, why=why)
            ) from None
        bound = runner.addresses[0][1]
        print(f"http://{HOST}:{bound}/", flush=True)  # the first line: where to look
        print("jdgen: " + _("previewing {folder}; Ctrl-C ends it").format(folder=root), flush=True)
        observer = Observer()
        saved = SavedSources(root, asyncio.get_running_loop(), server.save)
        observer.schedule(saved, str(root), recursive=True)
        observer.daemon = True
        observer.start()
        try:
            await server.rebuild_on_change()
        finally:
            observer.stop()
            await runner.cleanup()


def _app(server: Preview) -> web.Application:
    app = web.Application(middlewares=[local_only])
    app["preview"] = server
    app.router.add_get("/", _start_page)
    app.router.add_get("/main", _start_page)
    app.router.add_get("/events", _events)
    app.router.add_get("/preview.css", _asset)
    app.router.add_get("/preview.js", _asset)
    app.router.add_get(r"/d/{stem:[\w.-]+}", _directive_page)
    app.router.add_get(r"/d/{stem:[\w.-]+}/main", _directive_page)
    app.router.add_get(r"/d/{stem:[\w.-]+}/page/{number:\d+}.png", _page_picture)
    app.router.add_get(r"/d/{stem:[\w.-]+}/file/{name:[\w.-]+}", _download)
    app.router.add_get(r"/p/{rel:.+?\.ya?ml}", _position_page)
    app.router.add_get(r"/p/{rel:.+?\.ya?ml}/main", _position_page)
    app.router.add_get(r"/p/{rel:.+?\.ya?ml}/page/{number:\d+}.png", _position_picture)
    return app


async def _asset(request: web.Request) -> web.Response:
    name = request.path.lstrip("/")
    kind = "text/css" if name.endswith(".css") else "text/javascript"
    return web.Response(text=_ASSETS[name], content_type=kind, charset="utf-8")


_ASSETS = {
    name: resources.files("jdgen.preview").joinpath(f"pages/{name}").read_text("utf-8")
    for name in ("preview.css", "preview.js")
}


def _preview(request: web.Request) -> Preview:
    return request.app["preview"]


async def _start_page(request: web.Request) -> web.Response:
    server = _preview(request)
    return _html(request, "start", state=server.state)


def _html(request: web.Request, page: str, **values: object) -> web.Response:
    """The page, or only its `<main>` where the page asks for its update (a path ending in /main).
    Every page names the project by its folder (no machine path), links a problem to the user's
    editor and shows the lines of the file around it."""
    server = _preview(request)
    html = _PAGES.get_template(f"{page}.html").render(
        project=server.root.name, link=server.editor.link, source=SourceLines(server.root), **values
    )
    if request.path.endswith("/main"):
        html = html[html.index("<main") : html.index("</main>") + len("</main>")]
    return web.Response(text=html, content_type="text/html", charset="utf-8")


def _entry(request: web.Request) -> preview.Entry:
    entry = _preview(request).state.directives.get(request.match_info["stem"])
    if entry is None:
        raise web.HTTPNotFound(text="no such directive")
    return entry


async def _directive_page(request: web.Request) -> web.Response:
    server = _preview(request)
    server.look_at(request.match_info["stem"])
    if server.state.version == 0:  # the first reading is not done: the page updates when it is
        entry = preview.Entry(f"directives/{request.match_info['stem']}.yaml", building=True)
    else:
        entry = _entry(request)
    return _html(request, "directive", state=server.state, entry=entry)


async def _page_picture(request: web.Request) -> web.Response:
    return await _picture(_entry(request).document, int(request.match_info["number"]))


async def _picture(document: preview.Document | None, number: int) -> web.Response:
    if document is None or not 1 <= number <= document.pages:
        raise web.HTTPNotFound(text="no such page")
    picture = await asyncio.get_running_loop().run_in_executor(None, document.picture, number)
    return web.Response(body=picture, content_type="image/png")


def _position_rel(request: web.Request) -> tuple[str, str]:
    """The position the request's path names and its title: one the last reading listed (no other
    path is read)."""
    rel = request.match_info["rel"]
    found = preview.listed_position(_preview(request).state, rel)
    if found is None:
        raise web.HTTPNotFound(text="no such position")
    return rel, found[0]


async def _position_page(request: web.Request) -> web.Response:
    server = _preview(request)
    rel, title = _position_rel(request)
    made = server.position(rel, opened=not request.path.endswith("/main")) or preview.PositionDraft(-1)
    state = server.state
    if made.problems:  # what its build said that the project's check does not (the template's, say)
        state = replace(state, problems=preview.together(state.problems, made.problems))
    return _html(
        request,
        "position",
        state=state,
        rel=rel,
        title=title,
        building=made.checked != server.checked and rel in server.positions_opened,
        kept=rel in server.positions_opened,
        failed=made.failed,
        document=made.document,
        directive=made.directive,
    )


async def _position_picture(request: web.Request) -> web.Response:
    rel, _title = _position_rel(request)
    made = _preview(request).positions.get(rel)
    return await _picture(made.document if made else None, int(request.match_info["number"]))


async def _download(request: web.Request) -> web.Response:
    entry = _entry(request)
    document, name = entry.document, request.match_info["name"]
    files = {}
    if document is not None:
        files = {f"{entry.stem}.pdf": document.pdf, f"{entry.stem}.docx": document.docx}
    if name not in files:
        raise web.HTTPNotFound(text="no such file")
    kind = "application/pdf" if name.endswith(".pdf") else _DOCX
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return web.Response(body=files[name], content_type=kind, headers=headers)


async def _events(request: web.Request) -> web.StreamResponse:
    """Server-sent events: the state's version now, and each new one."""
    server = _preview(request)
    response = web.StreamResponse(
        headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache", **HEADERS}
    )
    await response.prepare(request)
    queue: asyncio.Queue[int] = asyncio.Queue()
    server.listeners.add(queue)
    try:
        await response.write(f"data: {server.state.version}\n\n".encode())
        while True:
            await response.write(f"data: {await queue.get()}\n\n".encode())
    except (ConnectionResetError, asyncio.CancelledError):
        pass
    finally:
        server.listeners.discard(queue)
    return response


_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# The pages (src/jdgen/pages/*.html): every value is escaped, a missing one is an error.
# In the user's language: `_()` and `ngettext()` in the pages are the catalog's (i18n).
_PAGES = jinja2.Environment(
    loader=jinja2.PackageLoader("jdgen.preview", "pages"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    extensions=["jinja2.ext.i18n"],
)
_PAGES.install_gettext_translations(i18n.catalog(), newstyle=True)  # type: ignore[attr-defined]
