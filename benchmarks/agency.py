"""An agency's project at scale, made from nr 177's own job descriptions: D units of P positions
each, every position a copy of one of nr 177's eight annexes (its title numbered, its substitutes
naming posts of its own unit), all on nr 177's shared includes; one directive per unit.

    python benchmarks/agency.py TARGET D P

`make bench` makes 100 x 20 (and 200 x 20 for the memory goal) with it; the project checks
without a warning, so that what is measured is the work of a clean project.
"""

from __future__ import annotations

import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from synthetic import SKA

DEPARTMENT = "positions/oiguse-ja-jarelevalve-osakond"
TALITUS = f"{DEPARTMENT}/jarelevalve-talitus"
SHARED_INCLUDE = "positions/_shared/oigused.yaml"  # the rights every position has: the everyday edit


def annexes_of_177() -> list[str]:
    text = (SKA / "directives/ska-2024-177.yaml").read_text("utf-8")
    block = text.split("annexes:", 1)[1].split("repeals:", 1)[0]
    return re.findall(r"^\s*-\s*(positions/\S+\.yaml)", block, re.M)


def make_agency(target: Path, units: int, positions: int) -> list[Path]:
    """Write the project into `target` (made anew); its directive files."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    shutil.copy(SKA / "organisation.yaml", target / "organisation.yaml")
    shutil.copytree(SKA / "templates", target / "templates")
    shutil.copytree(SKA / "positions/_shared", target / "positions/_shared")
    shutil.copytree(SKA / f"{TALITUS}/_shared", target / f"{TALITUS}/_shared")
    shutil.copy(SKA / f"{DEPARTMENT}/_unit.yaml", target / f"{DEPARTMENT}/_unit.yaml")
    sources = [(SKA / name).read_text("utf-8") for name in annexes_of_177()]
    (target / "directives").mkdir()
    directives = []
    for n in range(1, units + 1):
        unit = f"{DEPARTMENT}/talitus-{n:03d}"
        (target / unit).mkdir(parents=True)
        (target / unit / "_unit.yaml").write_text(
            f"name: Õiguse ja järelevalve osakond, talitus {n}\n"
            f"genitive: õiguse ja järelevalve osakonna talituse {n}\n",
            "utf-8",
        )
        titles = [_title(sources[k % len(sources)], k) for k in range(positions)]
        annexes = []
        for k in range(positions):
            title, other = titles[k], titles[(k + 1) % positions]
            text = re.sub(
                r"(?m)^title: .*$", lambda _m, title=title: f"title: {title}", sources[k % len(sources)]
            )
            text = re.sub(
                r"(?m)^(substitutes|substituted_by): .*$", lambda m, o=other: f"{m.group(1)}: {o}", text
            )
            name = f"{unit}/ametikoht-{k + 1:03d}.yaml"
            (target / name).write_text(text, "utf-8")
            annexes.append(name)
        listed = "\n".join(f"  - {a}" for a in annexes)
        path = target / "directives" / f"agency-{n:03d}.yaml"
        path.write_text(
            f"number: {1000 + n}\ndate: 2025-01-15\ntitle: Ametijuhendite kinnitamine\n"
            f"unit: {unit}\nannexes:\n{listed}\nin_force: 2025-02-01\n",
            "utf-8",
        )
        directives.append(path)
    return directives


def _title(source: str, k: int) -> str:
    title = re.search(r"(?m)^title: (.*)$", source)
    assert title is not None
    return f"{title.group(1)} ({k + 1})"


# -- the agency's workload, measured -------------------------------------------------------------


def _floor_command(root: Path) -> list[str]:
    """A whole process that parses every YAML file of the project with libyaml (an `!include`
    taken as its text), and nothing else: the floor of reading the agency."""
    program = (
        "import sys, pathlib, yaml\n"
        "L = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)\n"
        "class Loader(L):\n"
        "    def flatten_mapping(self, node):\n"
        "        node.value = [(k, v) for k, v in node.value if k.tag != 'tag:yaml.org,2002:merge']\n"
        "        super().flatten_mapping(node)\n"
        "Loader.add_constructor('!include', lambda loader, node: loader.construct_scalar(node))\n"
        "root = pathlib.Path(sys.argv[1])\n"
        "for path in sorted(root.rglob('*.yaml')):\n"
        "    if 'build' not in path.relative_to(root).parts:\n"
        "        with open(path, 'rb') as f:\n"
        "            yaml.load(f, Loader=Loader)\n"
    )
    return [sys.executable, "-c", program, str(root)]


def _edit_shared_include(root: Path, turn: int) -> None:
    """Change a word of the rights every position has: every directive's text changes."""
    path = root / SHARED_INCLUDE
    text = path.read_text("utf-8")
    first = re.search(r"(?m)^- (.*)$", text)
    assert first is not None
    words = first.group(1).removesuffix(f" ({turn - 1})")
    path.write_text(text[: first.start(1)] + f"{words} ({turn})" + text[first.end(1) :], "utf-8")


def measure_agency(folder: Path, units: int, positions: int, large_units: int, *, runs: int) -> dict:
    """The everyday work of an agency of `units` directives of `positions` annexes: `make` after an
    edit of a shared include, one build of all, `check`, against the floor of reading the project
    (medians of `runs`, alternated); peak memory of build and check (and at `large_units`); the
    preview's first page."""
    from treemem import measure

    bin_folder = Path(sys.executable).parent
    jdgen = str(bin_folder / "jdgen")
    root = folder / "agency"
    make_agency(root, units, positions)
    make = ["make", "--no-print-directory", "-f", str(SKA / "examples/project.mk"), f"JDGEN={jdgen}"]
    build = [jdgen, "build", *_directives(root), "-o"]  # as the issue timed a build of all
    scratch = _timed(make, root)
    floors, edits, builds, checks = [], [], [], []
    for turn in range(1, runs + 1):  # timed alone: sampling the memory would take a core's time
        floors.append(_timed(_floor_command(root), root))
        _edit_shared_include(root, turn)
        edits.append(_timed(make, root))
        builds.append(_timed([*build, str(folder / f"all-{turn}")], root))
        checks.append(_timed([jdgen, "check"], root))
    floor = statistics.median(floors)
    peaks = [  # then measured once each, sampled
        _checked(measure([*build, str(folder / "peak")], cwd=root), "build")[1],
        _checked(measure([jdgen, "check"], cwd=root), "check")[1],
    ]
    large = folder / "large"
    make_agency(large, large_units, positions)
    large_peaks = [
        _checked(
            measure([jdgen, "build", *_directives(large), "-o", str(folder / "large-out")], cwd=large),
            "build",
        )[1],
        _checked(measure([jdgen, "check"], cwd=large), "check")[1],
    ]
    serve = measure_serve(root, jdgen)
    return {
        "units": units,
        "positions_per_unit": positions,
        "floor_seconds": floor,
        "make_scratch_seconds": scratch,
        "make_edit_seconds": statistics.median(edits),
        "build_seconds": statistics.median(builds),
        "check_seconds": statistics.median(checks),
        "make_edit_x_floor": statistics.median(edits) / floor,
        "build_x_floor": statistics.median(builds) / floor,
        "check_x_floor": statistics.median(checks) / floor,
        "peak_mb": max(peaks),
        "large_units": large_units,
        "large_peak_mb": max(large_peaks),
        **serve,
    }


def _timed(command: list[str], cwd: Path) -> float:
    """Wall seconds of a command that must succeed."""
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        raise SystemExit(f"bench: {' '.join(command[:3])} … failed in the agency:\n{done.stderr}")
    return time.perf_counter() - start


def _directives(root: Path) -> list[str]:
    """The directives named, as the issue timed a build of all: `jdgen build directives/*.yaml`."""
    return [str(path) for path in sorted((root / "directives").glob("*.yaml"))]


def _checked(result: tuple[float, float, int], what: str) -> tuple[float, float]:
    seconds, peak, code = result
    if code != 0:
        raise SystemExit(f"bench: the agency's {what} failed (exit {code})")
    return seconds, peak


def measure_serve(root: Path, jdgen: str, *, cap: float = 300) -> dict:
    """`jdgen serve` on the agency: seconds from its start to the first directive's first page
    (the picture served), the peak memory of it and its LibreOffice; then a save of the shared
    include every position has (a line pasted from Word added): seconds until the page shows its
    problem (the saved file checked first), and until the whole project is read again (the
    median of three saves); seconds from Ctrl-C until every process of it is gone."""
    from treemem import _pss_kb, _tree

    started = time.perf_counter()
    process = subprocess.Popen(
        [jdgen, "serve", "--port", "0"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        # Ctrl-C reaches it as from a terminal, even where the bench itself runs in the background
        # (`make bench &` or nohup: a shell starts those with Ctrl-C ignored, and so would it be).
        preexec_fn=_ctrl_c_as_in_a_terminal,
    )
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    stem = sorted((root / "directives").glob("*.yaml"))[0].stem
    peak, first_page = 0, None
    try:
        while first_page is None and time.perf_counter() - started < cap:
            peak = max(peak, sum(_pss_kb(pid) for pid in _tree(process.pid)))
            if 'id="page-1"' in _get(f"{url}d/{stem}/main").decode("utf-8", "replace") and _get(
                f"{url}d/{stem}/page/1.png"
            ).startswith(b"\x89PNG"):
                first_page = time.perf_counter() - started
            time.sleep(0.2)
        saves = (
            [_save_to_problems(root, f"{url}d/{stem}/main", turn) for turn in range(3)] if first_page else []
        )
        tree = _tree(process.pid)
        peak = max(peak, sum(_pss_kb(pid) for pid in tree))
    finally:
        stopping = time.perf_counter()
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            raise SystemExit("bench: jdgen serve did not end within 60 s of Ctrl-C") from None
        while any(Path(f"/proc/{pid}").exists() and _running(pid) for pid in tree):
            time.sleep(0.05)
        stopped = time.perf_counter() - stopping
    if first_page is None:
        raise SystemExit(f"bench: jdgen serve showed no page within {cap:.0f} s")
    return {
        "serve_first_page_seconds": first_page,
        "serve_peak_mb": peak / 1024,
        "serve_stop_seconds": stopped,
        "serve_save_first_look_seconds": statistics.median(look for look, _whole in saves),
        "serve_save_whole_seconds": statistics.median(whole for _look, whole in saves),
    }


def _save_to_problems(root: Path, page: str, turn: int, *, cap: float = 120) -> tuple[float, float]:
    """Save the shared include with a line pasted from Word (a word broken in two), then without
    it: seconds until the page shows its warning, and until it shows it with the whole project
    read again (no "reading" note). Each save is timed on a preview at rest (the one before read
    and its document made again); the file is left as it was."""
    path = root / SHARED_INCLUDE
    text = path.read_text("utf-8")
    mark = f"proov{turn}- kirjutamine"  # quoted in the warning
    started = time.perf_counter()
    path.write_text(text + f"- {mark}\n", "utf-8")
    look = whole = None
    try:
        while whole is None and time.perf_counter() - started < cap:
            body = _get(page).decode("utf-8", "replace")
            if mark in body and look is None:
                look = time.perf_counter() - started
            if mark in body and 'class="reading"' not in body:
                whole = time.perf_counter() - started
            time.sleep(0.02)
    finally:
        path.write_text(text, "utf-8")
    if look is None or whole is None:
        raise SystemExit(f"bench: jdgen serve did not show a saved problem within {cap:.0f} s")
    _at_rest(page, mark, cap)
    return look, whole


def _at_rest(page: str, mark: str, cap: float) -> None:
    """Wait until the page shows the project as saved last (`mark` gone), read whole, and its
    document made again."""
    deadline = time.perf_counter() + cap
    while time.perf_counter() < deadline:
        body = _get(page).decode("utf-8", "replace")
        if mark not in body and not any(f'class="{c}"' in body for c in ("reading", "building")):
            return
        time.sleep(0.1)
    raise SystemExit(f"bench: jdgen serve did not come to rest within {cap:.0f} s")


def _ctrl_c_as_in_a_terminal() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def _get(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read()
    except OSError:
        return b""


if __name__ == "__main__":
    make_agency(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
