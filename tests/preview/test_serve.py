"""`jdgen serve`: the live preview, looked at in a real browser (Debian's Chromium, driven by Selenium).

One server runs for the module, on a free port, in a git copy of SKA's project whose Lisa 4 is
titled with a `<script>` tag. The browser opens the directive page, finds the title and the
annexes, sees a typo saved into a position file appear as a problem with its file and line, without
a reload, and the document come back when the typo is fixed. Requests for paths outside the
project's outputs get 404, and the `<script>` title is text in the page.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import markupsafe
import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from jdgen.errors import UsageError
from jdgen.preview import state as preview

from conftest import SKA, add_other_unit, copy_project, git, write

pytestmark = pytest.mark.long  # `make test-long` (and CI), not the loop of `make test`

EKSPERT = "positions/oiguse-ja-jarelevalve-osakond/jarelevalve-talitus/ekspert-projekt.yaml"
SCRIPT_TITLE = "Ekspert <script>document.title='owned'</script>"
WAIT = 90  # seconds for a build with LibreOffice on a busy machine


def _ctrl_c_as_in_a_terminal() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Server:
    def __init__(self, project: Path) -> None:
        self.project = project
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jdgen", "serve", "--port", "0"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
            # Ctrl-C reaches it as from a terminal, even where the tests run in the background
            # (nohup, `&`: a shell starts those with SIGINT ignored, and so would it be).
            preexec_fn=_ctrl_c_as_in_a_terminal,
        )
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().strip()  # the first line: where to look
        assert self.url.startswith("http://127.0.0.1:"), self.url

    def get(self, path: str) -> tuple[int, str]:
        """The status and text of a request sent exactly as written (no normalising of `..`)."""
        host, port = self.url.removeprefix("http://").rstrip("/").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", errors="replace")
        finally:
            connection.close()

    def wait_for(self, path: str, text: str) -> str:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            status, body = self.get(path)
            if status == 200 and text in body:
                return body
            time.sleep(0.5)
        raise AssertionError(f"{path} never showed {text!r}; stderr: {self.stop()}")

    def stop(self) -> str:
        self.process.terminate()
        try:
            _, err = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, err = self.process.communicate()
        return err


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    project = copy_project(SKA, tmp_path_factory.mktemp("serve") / "project")
    path = project / EKSPERT
    path.write_text(path.read_text("utf-8").replace("title: Ekspert", f'title: "{SCRIPT_TITLE}"'), "utf-8")
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "the project as HR left it")
    (project / "build").mkdir()
    (project / "build/outside").symlink_to("/etc", target_is_directory=True)
    started = time.monotonic()
    running = Server(project)
    shown = running.wait_for("/d/ska-2024-177/main", 'id="page-1"')
    # Nothing saved, nothing built again (reading a file is no change): wait as long as a build takes.
    time.sleep(min(time.monotonic() - started, 30) + 1)
    assert running.get("/d/ska-2024-177/main")[1].split(">")[0] == shown.split(">")[0]  # its data-version
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser():
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    assert chromium and driver, "Chromium and its driver are missing: run `make system-deps`"
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(argument)
    session = webdriver.Chrome(options=options, service=Service(driver))
    yield session
    session.quit()


def it_shows_the_directive_and_its_problems_as_they_are_saved(server, browser):
    browser.get(f"{server.url}d/ska-2024-177")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Ametijuhendite kinnitamine"
    annexes = browser.find_elements(By.CSS_SELECTOR, "nav.annexes li")
    assert [a.text.split(":")[0] for a in annexes] == [f"Lisa {n}" for n in range(1, 9)]
    assert "/page/1.png" in browser.find_element(By.CSS_SELECTOR, "#page-1 img").get_attribute("src")
    # The page's words lie over its picture where the picture shows them: found and selected.
    assert browser.execute_script("return window.find('Ametijuhendite kinnitamine');")
    assert browser.execute_script("return window.getSelection().toString();") == "Ametijuhendite kinnitamine"
    line = browser.find_element(By.XPATH, "//div[@id='page-1']//span[.='Ametijuhendite kinnitamine']")
    left, top, width, _height = map(float, line.get_attribute("data-box").split())
    # where the picture shows the line (its box, in percent of the page), stretched as drawn
    box = "const r = arguments[0].getBoundingClientRect(); return [r.x, r.y, r.width, r.height];"
    page = dict(zip("xywh", browser.execute_script(box, browser.find_element(By.ID, "page-1")), strict=True))
    title = dict(zip("xywh", browser.execute_script(box, line), strict=True))
    assert abs(title["x"] - (page["x"] + left / 100 * page["w"])) < 2
    assert abs(title["y"] - (page["y"] + top / 100 * page["h"])) < 4
    assert abs(title["w"] - width / 100 * page["w"]) < 2  # the letters stretched to the box
    browser.execute_script("window.notReloaded = true;")  # a reload would forget it

    path = server.project / EKSPERT
    good = path.read_text("utf-8")
    path.write_text(good.replace("\nreports_to:", "\nreport_to:"), "utf-8")
    line = good.split("\nreports_to:")[0].count("\n") + 2
    # The page's <main> is replaced while the wait looks at it: an element of the old one is stale.
    stale = [StaleElementReferenceException]
    wait = WebDriverWait(browser, WAIT, poll_frequency=0.5, ignored_exceptions=stale)
    # What is read of the page is read inside the wait: the page changes twice (problems, then documents).
    text, link = wait.until(lambda b: _text_and_link(_problem_mentioning(b, "'report_to'")))
    assert f"{EKSPERT}:{line}:1" in text
    assert link.startswith("vscode://file/") and link.endswith(f"{EKSPERT}:{line}:1")
    assert f"{line:4d}  report_to:" in text  # the file's lines around the problem, its own marked
    # The problem shows first; when LibreOffice is done, the note on the last good document.
    note = wait.until(lambda b: next((e.text for e in b.find_elements(By.CLASS_NAME, "stale")), None))
    assert "last good document" in note
    assert browser.find_elements(By.ID, "page-1")  # the last good document stays reachable

    path.write_text(good, "utf-8")
    wait.until(_fixed)
    assert browser.find_elements(By.ID, "page-1")
    assert browser.execute_script("return window.notReloaded === true;")
    assert browser.title != "owned"


def _fixed(browser) -> bool:
    return not _problem_mentioning(browser, "'report_to'") and not browser.find_elements(
        By.CSS_SELECTOR, ".stale, .building"
    )


def _text_and_link(problem) -> tuple[str, str] | None:
    if problem is None:
        return None
    return problem.text, problem.find_element(By.TAG_NAME, "a").get_attribute("href")


def _problem_mentioning(browser, text: str):
    found = browser.find_elements(By.CSS_SELECTOR, ".problems li")
    return next((li for li in found if text in li.text), None)


@pytest.mark.parametrize(
    "path",
    [
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/d/..%2f..%2fetc%2fpasswd",
        "/d/ska-2024-177/file/..%2f..%2f..%2fetc%2fpasswd",
        "/build/outside/passwd",  # a symlink out of the project
        "/d/ska-2024-177/file/outside",
        "/d/ska-2024-177/page/0.png",
        "/d/nr-999/main",
        "/p/positions/../../../etc/passwd.yaml",
        "/p/positions/puudub.yaml",
        "/p/organisation.yaml",  # a file of the project, not a position
        "/p/directives/ska-2024-177.yaml",
        f"/p/{EKSPERT}/page/0.png",
    ],
)
def it_answers_404_outside_the_projects_outputs(server, path):
    status, body = server.get(path)
    assert status == 404
    assert "root:" not in body


def it_hands_out_the_documents_it_shows(server):
    with urllib.request.urlopen(f"{server.url}d/ska-2024-177/file/ska-2024-177.pdf", timeout=30) as response:
        assert response.read(5) == b"%PDF-"
        assert 'filename="ska-2024-177.pdf"' in response.headers["Content-Disposition"]


def it_shows_a_title_holding_a_script_tag_as_text(server):
    for page in ("/", "/d/ska-2024-177"):
        _, body = server.get(page)
        assert "<script>document.title" not in body
    assert "Ekspert &lt;script&gt;document.title=&#39;owned&#39;&lt;/script&gt;" in server.get("/")[1]


def it_lays_out_a_position_alone_a_new_one_too(server):
    """A position's page: the position as Lisa 1 of a draft of the directive that lists it, its
    words searchable; a new position that no directive lists yet, in its unit's directive."""
    assert server.get(f"/p/{EKSPERT}")[0] == 200  # opened: laid out (an update alone opens nothing)
    body = server.wait_for(f"/p/{EKSPERT}/main", 'id="page-1"')
    assert "laid out alone as Lisa 1 of a draft of directives/ska-2024-177.yaml" in body
    words = " ".join(re.findall(r'<span data-box="[\d. ]+">([^<]*)</span>', body))
    assert "Lisa 1" in words and "AMETIJUHEND" in words and "KAVAND" in words
    assert "Lisa 2" not in words
    unit = Path(EKSPERT).parent
    new = server.project / unit / "uus-ametikoht.yaml"
    text = (server.project / EKSPERT).read_text("utf-8")
    new.write_text(text.replace(SCRIPT_TITLE, "Uus ametikoht"), "utf-8")
    try:
        server.wait_for("/", f'<a href="/p/{unit}/uus-ametikoht.yaml">Uus ametikoht</a>')
        assert server.get(f"/p/{unit}/uus-ametikoht.yaml")[0] == 200
        body = server.wait_for(f"/p/{unit}/uus-ametikoht.yaml/main", 'id="page-1"')
        assert "Uus ametikoht" in " ".join(re.findall(r'<span data-box="[\d. ]+">([^<]*)</span>', body))
        assert server.get(f"/p/{unit}/uus-ametikoht.yaml/page/1.png")[0] == 200
    finally:
        new.unlink()


def it_says_in_one_line_when_the_port_is_taken(example_project):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "jdgen", "serve", "--port", str(port)],
            cwd=example_project,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"jdgen: --port {port}: cannot listen on 127.0.0.1:{port} (another program uses it); "
        "choose another port, e.g. --port 0 for any free one"
    ]


def it_draws_many_pages_asked_for_at_once(server):
    """The browser asks for every page at once; PDFium draws one at a time, and each is a picture."""

    def fetch(number: int) -> bytes:
        with urllib.request.urlopen(f"{server.url}d/ska-2024-177/page/{number}.png", timeout=60) as response:
            return response.read()

    with ThreadPoolExecutor(max_workers=8) as pool:
        pictures = list(pool.map(fetch, range(1, 13)))
    assert all(picture.startswith(b"\x89PNG\r\n\x1a\n") for picture in pictures)
    assert len(set(pictures)) == len(pictures)  # twelve different pages


def it_flags_a_duty_changed_since_the_last_commit(server):
    """Last, as it leaves the project changed: one result of a task edited and saved."""
    path = server.project / EKSPERT
    text = path.read_text("utf-8")
    edited = text.replace("dokumentatsioon on täidetud nõuetekohaselt.", "dokumentatsioon on täidetud.")
    assert edited != text
    path.write_text(edited, "utf-8")
    # Waited for until the line is marked: a document whose making began before the save (another
    # test's save) is shown with the changes read after it, and made again at once.
    body = server.wait_for("/d/ska-2024-177/main", 'class="marked">Projekti dokumentatsioon on täidetud.')
    assert "1 change of duties or requirements: " in body
    change = body.split('<section class="changes">')[1].split("<li")[1]
    page = int(change.split('href="#page-')[1].split('"')[0])
    assert f">Lisa 4 – {markupsafe.escape(SCRIPT_TITLE)}: 2.1</a>" in change  # its annex and position
    words = "Projekti dokumentatsioon on <del>täidetud nõuetekohaselt.</del> <ins>täidetud.</ins>"
    assert f"result changed: {words}" in change
    # the page it links to is Lisa 4's, and on it the changed result's line is marked
    starts = [int(n) for n in re.findall(r'<li><a href="#page-(\d+)">Lisa \d', body)]
    assert starts[3] <= page < starts[4]
    on_page = body.split(f'id="page-{page}"')[1].split('class="page"')[0]
    assert 'class="marked">Projekti dokumentatsioon on täidetud.' in on_page
    assert body.count('class="marked"') == 1  # only that line, on that page


def it_makes_a_directive_only_when_it_is_looked_at(tmp_path):
    """An agency's hundred directives cost what the one looked at costs: a directive nobody has
    opened has no document yet; opening its page makes it."""
    project = copy_project(SKA, tmp_path / "project")
    add_other_unit(project, "positions/_shared/oigused.yaml", None)
    running = Server(project)
    try:
        running.wait_for("/d/ska-2024-177/main", 'id="page-1"')
        assert running.get("/d/uus/file/uus.pdf")[0] == 404  # not looked at: not made
        assert "Making the document" in running.get("/d/uus/main")[1]  # looked at now
        running.wait_for("/d/uus/main", 'id="page-1"')
        assert running.get("/d/uus/file/uus.pdf")[0] == 200
    finally:
        running.stop()


def it_keeps_the_documents_of_the_directives_looked_at_last():
    """Memory stays bounded: a document made for a directive no longer among the last looked at is
    let go (and made again when it is looked at)."""
    document = preview.Document(b"docx", b"pdf", 1, ())
    state = preview.State(
        1,
        [],
        {name: preview.Entry(f"directives/{name}.yaml", document=document, current=True, valid=True)
         for name in ("a", "b", "c")},
    )  # fmt: skip
    built = preview.Entry("directives/c.yaml", document=document, current=True, valid=True)
    after = preview.with_built(state, built, ["c", "b"], current=True)
    assert [after.directives[n].document is not None for n in ("a", "b", "c")] == [False, True, True]
    assert after.directives["a"].building and after.version == 2
    stale = preview.with_built(state, built, ["c"], current=False)  # a save came while it was made
    assert stale.directives["c"].document is document and stale.directives["c"].building


# -- what a page of another site, or a slow client, gets (docs/security.md) ------------------


def request_as(server: Server, host: str, path: str = "/") -> http.client.HTTPResponse:
    address, port = server.url.removeprefix("http://").rstrip("/").split(":")
    connection = http.client.HTTPConnection(address, int(port), timeout=30)
    connection.putrequest("GET", path, skip_host=True)
    connection.putheader("Host", host.replace("PORT", port))
    connection.endheaders()
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("127.0.0.1:PORT", 200),
        ("localhost:PORT", 200),
        ("LOCALHOST:PORT", 200),
        ("evil.example:PORT", 421),  # DNS rebinding: another site's name pointed at 127.0.0.1
        ("127.0.0.1", 421),
        ("127.0.0.1:1", 421),
    ],
)
def it_answers_only_to_its_own_name(server, host, status):
    for path in ("/", "/d/ska-2024-177/file/ska-2024-177.pdf", "/preview.js"):
        response = request_as(server, host, path)
        assert response.status == status, (host, path)
        # Every answer forbids loading anything from elsewhere and guessing a type.
        assert response.getheader("Content-Security-Policy", "").startswith(
            "default-src 'none'; script-src 'self'"
        )
        assert response.getheader("X-Content-Type-Options") == "nosniff"


def it_closes_a_connection_whose_request_never_ends(server):
    """A client that sends its headers a byte a second holds no connection open for long."""
    from jdgen.cli.commands.serve import HEADER_SECONDS

    address, port = server.url.removeprefix("http://").rstrip("/").split(":")
    started = time.monotonic()
    with socket.create_connection((address, int(port)), timeout=5) as connection:
        connection.sendall(b"GET / HTTP/1.1\r\n")
        closed = False
        while time.monotonic() - started < HEADER_SECONDS + 10:
            try:
                connection.sendall(b"X")
                if connection.recv(1, socket.MSG_DONTWAIT) == b"":
                    closed = True
                    break
            except BlockingIOError:
                pass
            except OSError:  # reset or broken pipe: closed by the server
                closed = True
                break
            time.sleep(1)
    assert closed and time.monotonic() - started < HEADER_SECONDS + 5


def it_lists_each_position_with_the_directives_that_approve_it(tmp_path):
    """The start page names each position's directives, and flags a new one that none lists."""
    from jdgen.cli.commands.serve import _PAGES

    project = copy_project(SKA, tmp_path / "project")
    lonely = "positions/oiguse-ja-jarelevalve-osakond/jarelevalve-talitus/uus.yaml"
    shutil.copy(
        project / "positions/oiguse-ja-jarelevalve-osakond/jarelevalve-talitus/ekspert-projekt.yaml",
        project / lonely,
    )
    state = preview.check(project, preview.State())
    [(_unit, positions)] = state.units
    listed = {file: directives for file, _title, directives in positions}
    assert listed.pop(lonely) == ()
    assert set(listed.values()) == {("ska-2024-177",)} and len(listed) == 8
    page = _PAGES.get_template("start.html").render(
        state=state, project=project.name, link=lambda *a: "", source=lambda *a: []
    )
    assert page.count("in no directive: nothing approves it yet") == 1
    assert page.count('<a href="/d/ska-2024-177">nr 177 of 13.12.2024</a>') == 8
    assert f'<a href="/p/{lonely}">' in page  # each position: a link to it laid out alone


# -- the checker: the project read in a process of its own ------------------------------------


def _children(pid: int) -> dict[int, str]:
    """The processes `pid` started (still running), with their command lines: every process whose
    parent it is (/proc/PID/task/*/children may miss some while others start and end)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):  # ended meanwhile
            parent = int((entry / "stat").read_text().rsplit(") ", 1)[1].split()[1])
            if parent == pid:
                found[int(entry.name)] = (entry / "cmdline").read_text().replace("\0", " ")
    return found


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except OSError:
        return False


def it_reads_the_project_in_a_checker_as_it_would_in_its_own_process(tmp_path):
    """The preview's reading happens in a process with no thread but its own (it can fork onto
    every core, as `jdgen check` does): what it finds is what a reading here finds, and a second
    reading after a save keeps what did not change (the same problems, the new one added)."""
    from jdgen.preview.checker import Checker

    project = copy_project(SKA, tmp_path / "project")
    with Checker() as checker:
        first = checker.survey(project)
        assert first == preview.survey(project)
        said = [str(problem).split(": warning: ")[1][:16] for problem in first.problems]
        assert said == ["tasks[10].task: ", "tasks[5].results", "substitutes: nam", "substituted_by: "]
        path = project / EKSPERT
        path.write_text(path.read_text("utf-8").replace("Arvestades", "„Arvestades", 1), "utf-8")
        again = checker.survey(project)
        [new] = set(again.problems) - set(first.problems)
        assert set(first.problems) < set(again.problems) and len(again.problems) == 5
        assert (str(new.location), new.key_path) == (f"{EKSPERT}:8:10", "purpose")  # where the text starts
        assert again.directives == first.directives


def it_starts_a_new_checker_when_one_was_killed_and_none_after_it_is_closed(tmp_path):
    """A checker that ended between two readings is replaced without a word; one that ends during
    a reading makes that reading fail once (the server says it as an internal error), and the next
    reading is a new checker's. Each step waits for what it tests, so no timing decides it."""
    from jdgen.preview.checker import Checker, CheckFailed

    def checkers() -> set[int]:
        return {
            pid for pid, command in _children(os.getpid()).items() if " -m jdgen.preview.checker " in command
        }

    def ended(pid: int) -> None:
        deadline = time.monotonic() + WAIT
        while _running(pid) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not _running(pid)

    project = copy_project(SKA, tmp_path / "project")
    before = checkers()
    checker = Checker()
    try:
        checker.start()
        [idle] = checkers() - before
        os.kill(idle, signal.SIGKILL)
        ended(idle)
        assert checker.survey(project).directives  # between readings: replaced, nothing said
        [busy] = checkers() - before
        assert busy != idle
        os.kill(busy, signal.SIGSTOP)  # it holds the next request unread …
        with ThreadPoolExecutor(1) as pool:
            reading = pool.submit(checker.survey, project)
            [thread] = pool._threads
            while not _waiting_for_an_answer(thread.ident) and not reading.done():
                time.sleep(0.01)
            os.kill(busy, signal.SIGKILL)  # … and ends during the reading
            with pytest.raises(CheckFailed):
                reading.result(WAIT)
        assert checker.survey(project).directives  # the next reading is a new checker's
        [again] = checkers() - before
        assert again not in (idle, busy)
    finally:
        checker.close()
    assert not _running(again) and checkers() == before
    with pytest.raises(CheckFailed):
        checker.survey(project)


def _waiting_for_an_answer(thread: int | None) -> bool:
    """Whether `thread` is blocked reading the checker's answer (past sending its request)."""
    frame = sys._current_frames().get(thread or 0)
    while frame is not None:
        if frame.f_code.co_name == "_recv_bytes":
            return True
        frame = frame.f_back
    return False


def it_ends_with_its_checker_and_its_office_on_ctrl_c(tmp_path):
    """Nothing of the preview is left running after Ctrl-C (how fast is the bench's to say)."""
    project = copy_project(SKA, tmp_path / "project")
    running = Server(project)
    try:
        running.wait_for("/d/ska-2024-177/main", 'id="page-1"')
        started = _children(running.process.pid)
        assert any(" -m jdgen.preview.checker " in command for command in started.values())
        running.process.send_signal(signal.SIGINT)
        _out, err = running.process.communicate(timeout=WAIT)
    finally:
        running.stop()
    assert running.process.returncode == 0 and "Traceback" not in err
    deadline = time.monotonic() + WAIT  # LibreOffice's processes are ended under one grace period
    while any(_running(pid) for pid in started) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [command for pid, command in started.items() if _running(pid)]


def it_says_the_problems_of_a_shared_file_saved_before_it_reads_the_rest_again(tmp_path):
    """A save of a file every position includes is checked at once through one position that
    includes it (its own problems first, the others' kept), and then the whole project again."""
    from jdgen.preview.checker import Checker

    project = copy_project(SKA, tmp_path / "project")
    rights = "positions/_shared/oigused.yaml"
    with Checker() as checker:
        state = preview.merged(preview.State(), checker.survey(project))
        before = list(state.problems)
        path = project / rights
        path.write_text(path.read_text("utf-8") + "- {õigus: kaks võtit}\n- • pasted\n", "utf-8")
        look = checker.first_look(project, [rights])
        said = [(p.location.line, p.warning, p.message[:25]) for p in look.problems]
        assert said == [(9, False, "expected text, got a mapp"), (10, True, "the text starts with a li")]
        looked = preview.at_first_look(state, [rights], look)
        assert looked.saved == (rights,) and set(looked.problems) == {*before, *look.problems}
        whole = preview.merged(looked, checker.survey(project))
        assert whole.saved == () and set(look.problems) <= set(whole.problems)


def it_links_a_problem_to_the_editor_the_user_chose_and_shows_its_lines(tmp_path, capsys):
    """--editor (or JDGEN_EDITOR): a known editor, a link of the user's own, or none; anything
    else is refused in one line before the preview starts."""
    from jdgen.preview.sourcelinks import Editor, SourceLines

    root = tmp_path / "projekt"
    write(root, "positions/a.yaml", "title: A\nreport_to: B\nname: C\n")
    assert (
        Editor(root, "vscode").link("positions/a.yaml", 2, 1) == f"vscode://file{root}/positions/a.yaml:2:1"
    )
    assert Editor(root, "idea").link("positions/a.yaml", 2, 3).endswith("/positions/a.yaml&line=2&column=3")
    assert (
        Editor(root, "kate://{path}#{line}").link("positions/a b.yaml", 0, 0)
        == f"kate://{root}/positions/a%20b.yaml#1"
    )
    assert Editor(root, "none").link("positions/a.yaml", 2, 1) == ""
    for wrong in ("notepad", "javascript:alert({path})", "x://{path}{nope}"):
        with pytest.raises(
            UsageError, match=r"^--editor .*: not an editor jdgen knows .*; e\.g\. --editor vscode$"
        ):
            Editor(root, wrong)
    project = copy_project(SKA, tmp_path / "ska")
    result = subprocess.run(
        [sys.executable, "-m", "jdgen", "serve", "--editor", "notepad"],
        cwd=project, capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert "--editor notepad: not an editor jdgen knows" in result.stderr

    lines = SourceLines(root)
    assert lines("positions/a.yaml", 2) == [(1, "title: A"), (2, "report_to: B"), (3, "name: C")]
    outside = tmp_path / "outside.yaml"
    outside.write_text("secret: 1\n", "utf-8")
    (root / "positions/link.yaml").symlink_to(outside)
    assert lines("templates/kaskkiri.docx", 1) == [] and lines("../outside.yaml", 1) == []
    assert lines("positions/link.yaml", 1) == []  # a link out of the project is not read


def it_marks_the_lines_a_change_wrote_only_on_its_own_annexs_pages():
    """A shared result changed in Lisa 2 stands in Lisa 1 too: only Lisa 2's lines are marked, and
    the change links to the page where they are; a removal links to its annex's first page."""
    from jdgen.authoring.changes import Change
    from jdgen.preview.pagetext import Line, change_places

    def line(text: str) -> Line:
        return Line(10, 10, 50, 2, text)

    shared = [
        line("2.1. Projekti dokumentatsioon on täidetud"),
        line("hoolikalt."),
        line("Muu tekst on siin ka."),
    ]
    pages = [[line("KÄSKKIRI")], shared, [line("Lisa 2")], shared, [line("Lõpp")]]
    new = "Projekti dokumentatsioon on täidetud hoolikalt."
    changes = [
        Change("2.1", "result changed", "", old="Projekti dokumentatsioon on täidetud.", new=new, annex=2),
        Change("2.2", "result removed", "", old="Vana tulemus.", annex=2),
        Change("3", "changed", "", old="Vana punkt.", new="Muu tekst on siin ka.", annex=0),
    ]
    places = change_places(pages, {1: 2, 2: 3}, changes)
    assert places.pages == (4, 3, 1)
    assert places.marked == {(4, 0), (4, 1)}  # the short second line after the first; not Lisa 1's
