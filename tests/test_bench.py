"""The benchmark keeps working (a quick run at N = 8); its times are reported, never asserted."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from conftest import REPO


def it_runs_the_benchmark_at_eight_annexes(tmp_path):
    report_path = tmp_path / "bench.json"
    result = subprocess.run(
        [
            sys.executable,
            REPO / "benchmarks/bench.py",
            "--sizes",
            "8",
            "--pdf-sizes",
            "8",
            "--runs",
            "1",
            "--no-make",
            "--json",
            report_path,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    last = result.stdout.splitlines()[-1]
    assert re.fullmatch(r"ratio_vs_baseline=\d+\.\d ms_per_annex=\d+\.\d peak_rss_mb=\d+", last), last
    report = json.loads(report_path.read_text("utf-8"))
    (size,) = report["sizes"]
    assert size["annexes"] == 8
    assert size["baseline_same_text"] is True  # the naive way built the same document
    assert size["docx_bytes"] > 10_000 and size["peak_rss_mb"] > 10
    assert size["pdf_jdgen_seconds"] > 0 and size["pdf_soffice_seconds"] > 0
    assert report["summary"] == last
