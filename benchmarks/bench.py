"""`make bench`: jdgen's build time, memory and output size at N = 8, 100 and 1000 annexes,
measured against the naive way (benchmarks/baseline.py) in the same run.

Projects are generated (benchmarks/synthetic.py) in a temporary folder. Every build runs in a
child process: wall time includes Python's start-up, peak RSS is the child's own as the kernel
reports it (`os.wait4`). jdgen's builds are repeated and the median is taken; the baseline runs
once per size (it takes minutes at N = 1000). For the PDF sizes, `jdgen build --pdf` is timed
next to a bare LibreOffice conversion of the same DOCX (same flags, a fresh profile each time,
as jdgen uses), so jdgen's own overhead on top of LibreOffice shows.

The figures are printed as a table and written as JSON (`--json`, default build/bench.json).
The last line printed is, for the largest N:

    ratio_vs_baseline=<baseline s / jdgen s> ms_per_annex=<jdgen> peak_rss_mb=<jdgen>
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
from docx.oxml.ns import qn
from synthetic import make_project

REPO = Path(__file__).resolve().parent.parent
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
    baseline_seconds: float | None = None
    baseline_same_text: bool | None = None
    baseline_peak_rss_mb: float | None = None
    ratio_vs_baseline: float | None = None
    pdf_jdgen_seconds: float | None = None
    pdf_soffice_seconds: float | None = None
    pdf_ratio: float | None = None


def run(command: list[str | Path], cwd: Path) -> Run:
    """Run a child process; its wall time and its own peak RSS. Fails loudly if the child fails."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        child = subprocess.Popen([str(c) for c in command], cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            errors.seek(0)
            detail = errors.read().decode(errors="replace").strip()
            raise SystemExit(f"bench: {' '.join(map(str, command))} failed:\n{detail}")
    return Run(seconds, usage.ru_maxrss / 1024)  # Linux reports KiB


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
        "pdf",
        "--outdir",
        work / "bare",
        docx,
    ]


def measure(root: Path, directive: Path, annexes: int, *, runs: int, baseline: bool, pdf: bool) -> SizeResult:
    out = root / "out" / str(annexes)
    jdgen = [BIN / "jdgen", "build", directive, "--project", root, "-o", out]
    run(jdgen, root)  # warm the file cache; not counted
    timed = [run(jdgen, root) for _ in range(runs)]
    seconds = statistics.median(r.seconds for r in timed)
    result = SizeResult(
        annexes=annexes,
        jdgen_seconds=seconds,
        jdgen_seconds_all=[r.seconds for r in timed],
        ms_per_annex=seconds * 1000 / annexes,
        peak_rss_mb=max(r.peak_rss_mb for r in timed),
        docx_bytes=(out / f"{directive.stem}.docx").stat().st_size,
    )
    if baseline:
        naive_docx = out / "naive.docx"
        naive = run(
            [BIN / "python", REPO / "benchmarks/baseline.py", root, directive.relative_to(root), naive_docx],
            root,
        )
        result.baseline_seconds = naive.seconds
        result.baseline_same_text = document_text(naive_docx) == document_text(out / f"{directive.stem}.docx")
        result.baseline_peak_rss_mb = naive.peak_rss_mb
        result.ratio_vs_baseline = naive.seconds / seconds
    if pdf:
        with_pdf, bare = [], []
        for _ in range(runs):  # alternated, so a slow moment of the machine hits both alike
            with_pdf.append(run([*jdgen, "--pdf"], root).seconds)
            bare.append(run(soffice_command(out / f"{directive.stem}.docx", root / "soffice"), root).seconds)
        result.pdf_jdgen_seconds = statistics.median(with_pdf)
        result.pdf_soffice_seconds = statistics.median(bare)
        result.pdf_ratio = result.pdf_jdgen_seconds / result.pdf_soffice_seconds
    return result


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
        f"{'N':>5} {'jdgen s':>8} {'ms/annex':>9} {'peak MB':>8} {'DOCX KiB':>9} "
        f"{'naive s':>8} {'naive MB':>9} {'ratio':>6} {'--pdf s':>8} {'soffice s':>10} {'pdf/soffice':>12}"
    ]
    for r in results:
        lines.append(
            f"{r.annexes:>5} {r.jdgen_seconds:>8.2f} {r.ms_per_annex:>9.1f} {r.peak_rss_mb:>8.0f} "
            f"{r.docx_bytes / 1024:>9.0f} {cell(r.baseline_seconds, '>8.2f')} "
            f"{cell(r.baseline_peak_rss_mb, '>9.0f')} {cell(r.ratio_vs_baseline, '>6.1f')} "
            f"{cell(r.pdf_jdgen_seconds, '>8.2f')} {cell(r.pdf_soffice_seconds, '>10.2f')} "
            f"{cell(r.pdf_ratio, '>12.2f')}"
        )
    return "\n".join(lines)


def summary_line(results: list[SizeResult]) -> str:
    largest = max(results, key=lambda r: r.annexes)
    ratio = "-" if largest.ratio_vs_baseline is None else f"{largest.ratio_vs_baseline:.1f}"
    return (
        f"ratio_vs_baseline={ratio} ms_per_annex={largest.ms_per_annex:.1f} "
        f"peak_rss_mb={largest.peak_rss_mb:.0f}"
    )


def _sizes(text: str) -> list[int]:
    return sorted({int(part) for part in text.split(",") if part.strip()})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", type=_sizes, default=[8, 100, 1000], help="annex counts (default 8,100,1000)"
    )
    parser.add_argument("--pdf-sizes", type=_sizes, default=[8, 100], help="with PDF timing (default 8,100)")
    parser.add_argument("--runs", type=int, default=3, help="jdgen runs per size; the median counts")
    parser.add_argument("--no-baseline", action="store_true", help="skip the naive docxcompose build")
    parser.add_argument("--no-make", action="store_true", help="skip timing a no-change `make`")
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
            results.append(
                measure(
                    root,
                    directives[annexes],
                    annexes,
                    runs=args.runs,
                    baseline=not args.no_baseline,
                    pdf=annexes in args.pdf_sizes,
                )
            )
    make_seconds = None if args.no_make else make_without_changes()
    report = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "system": platform.platform(),
        },
        "runs": args.runs,
        "sizes": [asdict(r) for r in results],
        "ms_per_annex_growth": growth(results),
        "make_without_changes_seconds": make_seconds,
        "summary": summary_line(results),
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    temporary = args.json.with_name(f".{args.json.name}.tmp")
    temporary.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    temporary.replace(args.json)
    print(table(results))
    for step, factor in report["ms_per_annex_growth"].items():
        print(f"ms per annex, N = {step}: x{factor:.2f}")
    if make_seconds is not None:
        print(f"make with nothing changed: {make_seconds:.2f} s")
    if any(r.baseline_same_text is False for r in results):
        print("WARNING: the naive build's text differs from jdgen's: the ratio compares unlike work")
    print(f"(figures also in {args.json})")
    print(summary_line(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
