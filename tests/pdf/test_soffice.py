"""Finding LibreOffice: JDGEN_SOFFICE, PATH, and the places its installers use on Windows and macOS."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time

import pytest

from jdgen.errors import JdgenError
from jdgen.pdf.office import OfficeClosed, find_soffice

from conftest import DIRECTIVE_177, SKA

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def it_takes_the_program_jdgen_soffice_names_and_builds_with_it(tmp_path):
    """JDGEN_SOFFICE names a program of its own (here one that notes each start, then runs soffice)."""
    assert SOFFICE is not None  # installed by `make system-deps`
    named = tmp_path / "my-soffice"
    named.write_text(f'#!/bin/sh\necho started >> "{tmp_path / "started"}"\nexec "{SOFFICE}" "$@"\n')
    named.chmod(0o755)
    assert find_soffice({"JDGEN_SOFFICE": str(named)}) == str(named)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "jdgen",
            "build",
            SKA / DIRECTIVE_177,
            "-C",
            SKA,
            "-o",
            tmp_path / "out",
            "--pdf",
        ],
        env={**os.environ, "JDGEN_SOFFICE": str(named)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out/ska-2024-177.pdf").is_file()
    assert (tmp_path / "started").read_text().count("started") >= 1


def it_says_in_one_line_when_jdgen_soffice_names_no_program(tmp_path, capsys):
    with pytest.raises(JdgenError) as raised:
        find_soffice({"JDGEN_SOFFICE": str(tmp_path / "soffice"), "PATH": ""})
    assert [str(p) for p in raised.value.problems] == [
        f"JDGEN_SOFFICE: {tmp_path / 'soffice'} is not a program — "
        "name soffice itself, or unset JDGEN_SOFFICE"
    ]


@pytest.mark.parametrize(
    ("variable", "place"),
    [
        ("ProgramFiles", "LibreOffice/program/soffice.exe"),
        ("ProgramFiles(x86)", "LibreOffice/program/soffice.exe"),
        ("LOCALAPPDATA", "Programs/LibreOffice/program/soffice.exe"),
    ],
)
def it_finds_soffice_where_the_windows_installer_puts_it(tmp_path, variable, place):
    program = tmp_path / place
    program.parent.mkdir(parents=True)
    program.write_bytes(b"")
    program.chmod(0o755)
    assert find_soffice({variable: str(tmp_path), "PATH": str(tmp_path / "empty")}) == str(program)


def it_renews_its_listening_office_and_starts_none_after_it_is_closed(built_177):
    """The preview renews its LibreOffice after each document (one that has converted hands the
    next conversion over in seconds, a fresh one in half of one): the old one ends, the new one
    converts, and once closed (Ctrl-C) no new one starts."""
    from jdgen.pdf.office import Office, convert_to_pdf

    office = Office()
    try:
        first = office._listener
        office.renew()  # waits for nothing: the old one is asked to end, the new one follows
        assert first.wait(timeout=30) is not None
        deadline = time.monotonic() + 30
        while office._listener is first and time.monotonic() < deadline:
            time.sleep(0.05)
        assert office._listener is not first
        pdf = convert_to_pdf({"a": built_177.read_bytes()}, office=office)["a"]
        assert pdf.startswith(b"%PDF-")
    finally:
        office.close()
    second = office._listener
    office.renew()
    assert office._listener is second and second.poll() is not None
    with pytest.raises(OfficeClosed):
        convert_to_pdf({"a": built_177.read_bytes()}, office=office)


def it_ends_a_conversion_running_in_another_thread_when_it_is_closed(built_177):
    """Ctrl-C in the preview closes its LibreOffice while a conversion runs in a worker thread:
    the conversion's process ends with it (the thread is free at once, not after the conversion's
    timeout), and no office process is left."""
    from jdgen.pdf.office import Office, convert_to_pdf

    office = Office()
    said: list[object] = []

    def convert() -> None:
        try:
            said.append(convert_to_pdf({"a": built_177.read_bytes()}, office=office, timeout=600))
        except JdgenError as exc:
            said.append(exc)

    worker = threading.Thread(target=convert)
    worker.start()
    while not any(p.args[-1].endswith("a.docx") for p in list(office._groups)):  # under way
        worker.join(timeout=0.05)
        assert worker.is_alive(), said
    office.close()
    worker.join(timeout=60)
    assert not worker.is_alive()
    assert said and isinstance(said[0], JdgenError | dict)
    assert all(p.poll() is not None for p in office._groups)
