"""The benchmark keeps working (a quick run at N = 8): every way gives the same text and every figure
is there; its times are reported, never asserted."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from conftest import REPO

pytestmark = pytest.mark.long  # `make test-long` (and CI), not the loop of `make test`


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
            "--agency",
            "3x2,4",
            "--json",
            report_path,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    last = result.stdout.splitlines()[-1]
    assert re.fullmatch(
        r"ratio_vs_docxtpl=\d+\.\d\d ratio_to_floor=\d+\.\d\d startup_ratio=\d+\.\d\d "
        r"agency_make_edit_x_floor=\d+\.\d\d agency_build_x_floor=\d+\.\d\d agency_check_x_floor=\d+\.\d\d "
        r"agency_peak_mb=\d+ agency_peak_mb_large=\d+ serve_first_page_s=\d+\.\d "
        r"serve_save_problems_s=\d+\.\d\d serve_save_whole_s=\d+\.\d\d",
        last,
    ), last
    report = json.loads(report_path.read_text("utf-8"))
    (size,) = report["sizes"]
    assert size["annexes"] == 8
    assert size["docxtpl_same_text"] is True  # docxtpl's single render built the same document
    assert size["baseline_same_text"] is True  # and so did the naive way
    assert len(size["jdgen_seconds_all"]) == len(size["docxtpl_seconds_all"]) == 1
    assert size["docx_bytes"] > 10_000 and size["peak_rss_mb"] > 10
    assert size["pdf_jdgen_seconds"] > 0 and size["pdf_soffice_seconds"] > 0
    floor = report["floor"]
    assert floor["annexes"] == 8
    parts = ("yaml_seconds", "jinja_body_seconds", "zlib_body_seconds", "imports_seconds")
    assert all(floor[part] > 0 for part in parts)
    # a whole process: more than its parts (those of one run, against that run's own wall time)
    assert sum(floor[part] for part in parts) < floor["parts_run_seconds"]
    assert floor["floor_seconds"] > 0
    agency = report["agency"]
    assert (agency["units"], agency["positions_per_unit"], agency["large_units"]) == (3, 2, 4)
    for figure in ("floor_seconds", "make_edit_seconds", "build_seconds", "check_seconds", "peak_mb"):
        assert agency[figure] > 0, figure
    assert agency["serve_first_page_seconds"] > 0 and agency["serve_stop_seconds"] < 30
    assert 0 < agency["serve_save_first_look_seconds"] <= agency["serve_save_whole_seconds"]
    assert report["startup"]["build_177_seconds"] > 0 and report["startup"]["imports_seconds"] > 0
    assert report["startup"]["stack_imports_seconds"] > 0 and report["startup"]["stack_ratio"] > 0
    assert report["summary"] == last
    assert report["summary_sizes"] == {"ratio_vs_docxtpl": 8}  # the stand-in, said
    assert "N = 8 stands in" in result.stdout.splitlines()[-3]
