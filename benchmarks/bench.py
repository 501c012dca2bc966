"""`make bench`: jdgen's build time and memory against the competent docxtpl way, against the
floor, and at an agency's scale.

Projects are generated (benchmarks/synthetic.py) in a temporary folder, a unit of N positions for
each directive of N annexes. Every build runs in a child process: wall time includes Python's
start-up, peak RSS is the child's own as the kernel reports it (`os.wait4`, in a small process of
its own that forks the build). At each size (N = 8, 100, 1000 annexes) jdgen and the competent way
(benchmarks/docxtpl_once.py: stock docxtpl, one `render()` of the same template with the same
context, the YAML read as a docxtpl user would: benchmarks/plain.py) run alternately, so a slow
moment of the machine hits both alike, and the medians count; both must give the same text. The
naive way (benchmarks/baseline.py: an annex at a time, joined with docxcompose) runs once at N = 8
and 100 as a second row (`--naive-sizes` for more). At N = 1000 the floor is measured in the same
run (benchmarks/floor.py: a whole process that parses the YAML with libyaml, renders the body
with plain Jinja from values made beforehand and compresses it), and the start-up: `jdgen build`
of nr 177 against `python -c "import docx, docxtpl, yaml"`, alternated. For N = 8 and 100,
`jdgen build --pdf` is timed next to a bare LibreOffice conversion.

The agency (benchmarks/agency.py, `--agency 100x20,200`): 100 directives of 20 annexes made from
nr 177's job descriptions, on its shared includes. Against the floor of reading it (a whole process
parsing every YAML file with libyaml), in the same run: `make` after an edit of a shared include
that every position has, one `jdgen build` of all, `jdgen check`; the peak memory of build and
check (the process tree's, forked children included), also at 200 directives; and `jdgen serve`:
seconds to the first directive's first page, its peak memory with LibreOffice, and Ctrl-C.

The figures are printed as a table and written as JSON (`--json`, default build/bench.json).
The last line printed is

    ratio_vs_docxtpl=R ratio_to_floor=F startup_ratio=S agency_make_edit_x_floor=E
    agency_build_x_floor=B agency_check_x_floor=C agency_peak_mb=M agency_peak_mb_large=L
    serve_first_page_s=P serve_save_problems_s=Q serve_save_whole_s=W

(on one line) R: docxtpl's time / jdgen's at N = 1000; F: jdgen's time / the floor at N = 1000;
S: `jdgen build` of nr 177 / the bare imports; E, B, C: the agency's make after the edit, build and
check / its floor; M, L: their peak MB at 100 and at 200 directives; P: serve's first page, s;
Q, W: after a save of the shared include, seconds until its problem is shown, and until the whole
project's problems are.
Where a size was not measured (a quick run), the largest measured size stands in.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import docx
from agency import measure_agency
from docx.oxml.ns import qn
from floor import IMPORTS, prepare
from synthetic import SKA, make_project

from jdgen.pdf.office import PDF_FILTER

REPO = Path(__file__).resolve().parent.parent
# What a jdgen build cannot start without: its models, its templates, its YAML.
STACK_IMPORTS = [sys.executable, "-c", "from pydantic import BaseModel; import jinja2, yaml"]
BIN = Path(sys.executable).parent


@dataclass
class Run:
    seconds: float
    peak_rss_mb: float


@dataclass
class SizeResult:
    annexes: int
    jdgen_seconds: float
    jdgen_seconds_all: list[float]
    ms_per_annex: float
    peak_rss_mb: float
    docx_bytes: int
    docxtpl_seconds: float | None = None
    docxtpl_seconds_all: list[float] | None = None
    docxtpl_peak_rss_mb: float | None = None
    docxtpl_same_text: bool | None = None
    ratio_vs_docxtpl: float | None = None
    baseline_seconds: float | None = None
    baseline_same_text: bool | None = None
    baseline_peak_rss_mb: float | None = None
    ratio_vs_baseline: float | None = None
    pdf_jdgen_seconds: float | None = None
    pdf_soffice_seconds: float | None = None
    pdf_ratio: float | None = None


# Run by a small Python of its own, which forks and execs the command: a child forked straight from
# this process would report this process's peak memory as its own (Linux records the memory the
# child had when it exec'd, and this process holds whole documents by then).
SPAWNER = """
import json, os, sys, time
command, cwd = json.loads(sys.argv[1]), sys.argv[2]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.chdir(cwd)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    os.execv(command[0], command)
_, status, usage = os.wait4(pid, 0)
print(json.dumps([time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status)]))
"""


def run(command: list[str | Path], cwd: Path) -> Run:
    """Run a child process; its wall time and its own peak RSS. Fails loudly if the child fails."""
    program = [str(c) for c in command]
    program[0] = shutil.which(program[0]) or program[0]
    spawner = [sys.executable, "-S", "-c", SPAWNER, json.dumps(program), str(cwd)]
    done = subprocess.run(spawner, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not done.stdout.strip():
        raise SystemExit(f"bench: {' '.join(program)} could not be run:\n{done.stderr.strip()}")
    seconds, peak_kib, code = json.loads(done.stdout.splitlines()[-1])
    if code != 0:
        raise SystemExit(f"bench: {' '.join(program)} failed:\n{done.stderr.strip()}")
    return Run(seconds, peak_kib / 1024)  # Linux reports KiB


def document_text(path: Path) -> list[str]:
    """The paragraphs' text, tables included, in document order: what both builds must agree on."""
    body = docx.Document(path).element.body
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))]


def soffice_command(docx: Path, work: Path) -> list[str | Path]:
    profile = work / f"profile-{time.monotonic_ns()}"
    return [
        shutil.which("soffice") or "soffice",
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        PDF_FILTER,  # the tagged PDF jdgen asks for
        "--outdir",
        work / "bare",
        docx,
    ]


def measure(root: Path, directive: Path, annexes: int, *, runs: int, naive: bool, pdf: bool) -> SizeResult:
    out = root / "out" / str(annexes)
    jdgen = [BIN / "jdgen", "build", directive, "--project", root, "-o", out]
    docx_path = out / f"{directive.stem}.docx"
    competent_docx = out / "docxtpl.docx"
    competent = [BIN / "python", REPO / "benchmarks/docxtpl_once.py", root, directive.relative_to(root)]
    competent.append(competent_docx)
    run(jdgen, root)  # warm the file cache; not counted
    timed, docxtpl = [], []
    for _ in range(runs):  # alternated
        timed.append(run(jdgen, root))
        docxtpl.append(run(competent, root))
    seconds = statistics.median(r.seconds for r in timed)
    result = SizeResult(
        annexes=annexes,
        jdgen_seconds=seconds,
        jdgen_seconds_all=[r.seconds for r in timed],
        ms_per_annex=seconds * 1000 / annexes,
        peak_rss_mb=max(r.peak_rss_mb for r in timed),
        docx_bytes=docx_path.stat().st_size,
        docxtpl_seconds=statistics.median(r.seconds for r in docxtpl),
        docxtpl_seconds_all=[r.seconds for r in docxtpl],
        docxtpl_peak_rss_mb=max(r.peak_rss_mb for r in docxtpl),
        docxtpl_same_text=document_text(competent_docx) == document_text(docx_path),
    )
    result.ratio_vs_docxtpl = (result.docxtpl_seconds or 0) / seconds
    if naive:
        naive_docx = out / "naive.docx"
        baseline = [BIN / "python", REPO / "benchmarks/baseline.py", root, directive.relative_to(root)]
        done = run([*baseline, naive_docx], root)
        result.baseline_seconds = done.seconds
        result.baseline_same_text = document_text(naive_docx) == document_text(docx_path)
        result.baseline_peak_rss_mb = done.peak_rss_mb
        result.ratio_vs_baseline = done.seconds / seconds
    if pdf:
        with_pdf, bare = [], []
        for _ in range(runs):  # alternated
            with_pdf.append(run([*jdgen, "--pdf"], root).seconds)
            bare.append(run(soffice_command(docx_path, root / "soffice"), root).seconds)
        result.pdf_jdgen_seconds = statistics.median(with_pdf)
        result.pdf_soffice_seconds = statistics.median(bare)
        result.pdf_ratio = result.pdf_jdgen_seconds / result.pdf_soffice_seconds
    return result


def floor(root: Path, directive: str, *, runs: int) -> dict[str, float]:
    """The floor's wall time as a whole process (benchmarks/floor.py), the median of `runs`; and
    the parts of one more run as it times them itself, with that run's own wall time
    (`parts_run_seconds`: its parts happen inside it, so they sum to less, on any machine)."""
    prepared = root / "floor.pickle"
    prepare(root, directive, prepared)
    command = [BIN / "python", REPO / "benchmarks/floor.py", prepared]
    seconds = statistics.median(run(command, root).seconds for _ in range(runs))
    started = time.perf_counter()
    said = subprocess.run([str(c) for c in command], capture_output=True, text=True, check=True, cwd=root)
    parts_run = time.perf_counter() - started
    return {
        "floor_seconds": seconds,
        "parts_run_seconds": parts_run,
        **json.loads(said.stdout.splitlines()[-1]),
    }


def startup(runs: int) -> dict[str, float]:
    """`jdgen build` of nr 177 against the bare imports of its libraries, alternated: what jdgen
    adds to the start-up any docxtpl program pays."""
    with tempfile.TemporaryDirectory(prefix="jdgen-startup-") as out:
        build = [BIN / "jdgen", "build", SKA / "directives/ska-2024-177.yaml", "--project", SKA, "-o", out]
        run(build, SKA)  # warm the file cache; not counted
        builds, imports, stack = [], [], []
        for _ in range(max(runs, 5)):
            builds.append(run(build, SKA).seconds)
            imports.append(run(IMPORTS, SKA).seconds)
            stack.append(run(STACK_IMPORTS, SKA).seconds)
    build_seconds, imports_seconds = statistics.median(builds), statistics.median(imports)
    return {
        "build_177_seconds": build_seconds,
        "imports_seconds": imports_seconds,
        "startup_ratio": build_seconds / imports_seconds,
        # What jdgen cannot start without (pydantic, Jinja, PyYAML), against the same imports:
        # the start-up ratio of a build that did nothing else.
        "stack_imports_seconds": statistics.median(stack),
        "stack_ratio": statistics.median(stack) / imports_seconds,
    }


def make_without_changes() -> float:
    """Wall time of `make` in the repository when nothing changed (run once before, untimed)."""
    command = ["make", "--no-print-directory", "-C", REPO, "all"]
    run(command, REPO)
    return statistics.median(run(command, REPO).seconds for _ in range(3))


def growth(results: list[SizeResult]) -> dict[str, float]:
    """How ms per annex changes from one size to the next: near or below 1.0 is linear."""
    return {
        f"{small.annexes}->{large.annexes}": large.ms_per_annex / small.ms_per_annex
        for small, large in itertools.pairwise(results)
    }


def table(results: list[SizeResult]) -> str:
    def cell(value: float | None, spec: str) -> str:
        width = spec[1:].split(".")[0]
        return format("-", f">{width}") if value is None else format(value, spec)

    lines = [
        f"{'N':>5} {'jdgen s':>8} {'ms/annex':>9} {'peak MB':>8} {'docxtpl s':>10} {'docxtpl MB':>11} "
        f"{'x docxtpl':>10} {'naive s':>8} {'x naive':>8} {'--pdf s':>8} {'soffice s':>10}"
    ]
    for r in results:
        lines.append(
            f"{r.annexes:>5} {r.jdgen_seconds:>8.2f} {r.ms_per_annex:>9.1f} {r.peak_rss_mb:>8.0f} "
            f"{cell(r.docxtpl_seconds, '>10.2f')} {cell(r.docxtpl_peak_rss_mb, '>11.0f')} "
            f"{cell(r.ratio_vs_docxtpl, '>10.2f')} {cell(r.baseline_seconds, '>8.2f')} "
            f"{cell(r.ratio_vs_baseline, '>8.1f')} {cell(r.pdf_jdgen_seconds, '>8.2f')} "
            f"{cell(r.pdf_soffice_seconds, '>10.2f')}"
        )
    return "\n".join(lines)


def at(results: list[SizeResult], annexes: int) -> SizeResult:
    """The result at `annexes`, or the largest measured size below it (a quick run)."""
    below = [r for r in results if r.annexes <= annexes] or results
    return max(below, key=lambda r: r.annexes)


def summary_line(
    results: list[SizeResult], floor_seconds: float, startup_ratio: float, agency: dict | None
) -> str:
    thousand = at(results, 1000)
    line = (
        f"ratio_vs_docxtpl={thousand.ratio_vs_docxtpl:.2f} "
        f"ratio_to_floor={thousand.jdgen_seconds / floor_seconds:.2f} startup_ratio={startup_ratio:.2f}"
    )
    if agency is not None:
        line += (
            f" agency_make_edit_x_floor={agency['make_edit_x_floor']:.2f}"
            f" agency_build_x_floor={agency['build_x_floor']:.2f}"
            f" agency_check_x_floor={agency['check_x_floor']:.2f}"
            f" agency_peak_mb={agency['peak_mb']:.0f} agency_peak_mb_large={agency['large_peak_mb']:.0f}"
            f" serve_first_page_s={agency['serve_first_page_seconds']:.1f}"
            f" serve_save_problems_s={agency['serve_save_first_look_seconds']:.2f}"
            f" serve_save_whole_s={agency['serve_save_whole_seconds']:.2f}"
        )
    return line


def _agency(text: str) -> tuple[int, int, int]:
    size, _, large = text.partition(",")
    units, _, positions = size.partition("x")
    return int(units), int(positions), int(large or 2 * int(units))


def _sizes(text: str) -> list[int]:
    return sorted({int(part) for part in text.split(",") if part.strip()})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=_sizes, default=[8, 100, 1000], help="annex counts")
    parser.add_argument(
        "--naive-sizes", type=_sizes, default=[8, 100], help="with the naive way too (default 8,100)"
    )
    parser.add_argument("--pdf-sizes", type=_sizes, default=[8, 100], help="with PDF timing (default 8,100)")
    parser.add_argument("--runs", type=int, default=3, help="alternated runs per size; the median counts")
    parser.add_argument("--no-make", action="store_true", help="skip timing a no-change `make`")
    parser.add_argument(
        "--agency", type=_agency, default=(100, 20, 200), metavar="UxP[,L]",
        help="the agency's workload: U directives of P annexes (and L for memory); default 100x20,200",
    )  # fmt: skip
    parser.add_argument("--no-agency", action="store_true", help="skip the agency's workload")
    parser.add_argument("--json", type=Path, default=REPO / "build/bench.json", help="where the JSON goes")
    args = parser.parse_args(argv)
    if args.pdf_sizes and not shutil.which("soffice"):
        raise SystemExit("bench: LibreOffice (soffice) is needed for the PDF sizes: run `make system-deps`")

    results = []
    with tempfile.TemporaryDirectory(prefix="jdgen-bench-") as folder:
        root = Path(folder)
        directives = make_project(root, args.sizes)
        for annexes in args.sizes:
            print(f"measuring N = {annexes} …", file=sys.stderr, flush=True)
            naive, pdf = annexes in args.naive_sizes, annexes in args.pdf_sizes
            results.append(measure(root, directives[annexes], annexes, runs=args.runs, naive=naive, pdf=pdf))
        print("measuring the floor and the start-up …", file=sys.stderr, flush=True)
        thousand = at(results, 1000).annexes
        floors = floor(root, directives[thousand].relative_to(root).as_posix(), runs=args.runs)
        agency = None
        if not args.no_agency:
            units, positions, large = args.agency
            print(f"measuring an agency of {units} x {positions} …", file=sys.stderr, flush=True)
            agency = measure_agency(root / "agency", units, positions, large, runs=args.runs)
    started = startup(args.runs)
    make_seconds = None if args.no_make else make_without_changes()
    summary = summary_line(results, floors["floor_seconds"], started["startup_ratio"], agency)
    report = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "system": platform.platform(),
        },
        "runs": args.runs,
        "sizes": [asdict(r) for r in results],
        "floor": {"annexes": thousand, **floors},
        "startup": started,
        "ms_per_annex_growth": growth(results),
        "make_without_changes_seconds": make_seconds,
        "agency": agency,
        "summary": summary,
        "summary_sizes": {"ratio_vs_docxtpl": thousand},
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    temporary = args.json.with_name(f".{args.json.name}.tmp")
    temporary.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    temporary.replace(args.json)
    print(table(results))
    print(
        f"floor at N = {thousand}: {floors['floor_seconds']:.2f} s, a whole process "
        f"(imports {floors['imports_seconds']:.2f}, YAML read {floors['yaml_seconds']:.2f}, "
        f"Jinja {floors['jinja_body_seconds']:.2f}, zlib {floors['zlib_body_seconds']:.2f})"
    )
    if agency is not None:
        print(
            f"agency of {agency['units']} x {agency['positions_per_unit']}: floor (libyaml, every file) "
            f"{agency['floor_seconds']:.2f} s; make after a shared edit {agency['make_edit_seconds']:.2f} s, "
            f"build of all {agency['build_seconds']:.2f} s, check {agency['check_seconds']:.2f} s, "
            f"make from scratch {agency['make_scratch_seconds']:.2f} s; peak {agency['peak_mb']:.0f} MB "
            f"({agency['large_peak_mb']:.0f} MB at {agency['large_units']} directives); serve: first page "
            f"{agency['serve_first_page_seconds']:.1f} s, peak {agency['serve_peak_mb']:.0f} MB, "
            f"Ctrl-C {agency['serve_stop_seconds']:.2f} s; a save of the shared include: its problem "
            f"shown in {agency['serve_save_first_look_seconds']:.2f} s, the whole project's in "
            f"{agency['serve_save_whole_seconds']:.2f} s"
        )
    print(
        f"start-up: jdgen build of nr 177 {started['build_177_seconds']:.2f} s, "
        f"import docx, docxtpl, yaml {started['imports_seconds']:.2f} s; "
        f"import pydantic's BaseModel, jinja2, yaml {started['stack_imports_seconds']:.2f} s "
        f"(ratio {started['stack_ratio']:.2f})"
    )
    for step, factor in report["ms_per_annex_growth"].items():
        print(f"ms per annex, N = {step}: x{factor:.2f}")
    if make_seconds is not None:
        print(f"make with nothing changed: {make_seconds:.2f} s")
    if any(r.docxtpl_same_text is False or r.baseline_same_text is False for r in results):
        print("WARNING: a comparison build's text differs from jdgen's: its ratio compares unlike work")
    stand_ins = sorted({at(results, 1000).annexes} - {1000})
    if stand_ins:
        print(f"(a quick run: N = {stand_ins[-1]} stands in for the sizes not measured in the last line)")
    print(f"(figures also in {args.json})")
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
