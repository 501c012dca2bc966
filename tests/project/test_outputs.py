"""Outputs are the user's files: written whole and together, never half, never over a signed original.

A full disk and a read-only folder are real here: small tmpfs file systems mounted for the test
(the tests run as root, as on the project's machines and CI).
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from conftest import run_jdgen, write


@pytest.fixture
def mount(tmp_path) -> Iterator:
    """Mount a tmpfs at a new folder: `mount(size="64k", read_only=False) -> Path`."""
    mounted: list[Path] = []

    def _mount(size: str = "1m", *, read_only: bool = False) -> Path:
        folder = tmp_path / f"mount{len(mounted)}"
        folder.mkdir()
        options = f"size={size}" + (",ro" if read_only else "")
        subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], check=True)
        mounted.append(folder)
        return folder

    yield _mount
    for folder in mounted:
        subprocess.run(["umount", str(folder)], check=True)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def it_says_a_read_only_output_folder_in_one_line(small_project, mount, capsys, monkeypatch):
    out = mount(read_only=True)
    monkeypatch.chdir(out.parent)
    assert run_jdgen("build", "--project", small_project, "-o", out.name) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{out.name}/uus.docx: cannot write it: the folder is read-only — "
        "make it writable, or choose another folder",
        "1 error(s), 0 warning(s)",
    ]


def it_says_a_full_disk_in_one_line_and_keeps_the_old_file(small_project, mount, capsys, monkeypatch):
    out = mount("64k")
    old = b"the previous build"
    (out / "uus.docx").write_bytes(old)
    (out / "filler").write_bytes(b"x" * (64 * 1024 - 8192))
    monkeypatch.chdir(out.parent)
    assert run_jdgen("build", "--project", small_project, "-o", out.name) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{out.name}/uus.docx: cannot write it: the disk is full — "
        "free some space (or choose another folder) and try again",
        "1 error(s), 0 warning(s)",
    ]
    assert (out / "uus.docx").read_bytes() == old
    assert leftovers(out) == []


def it_refuses_an_output_folder_inside_a_file_as_a_command_line_error(small_project, tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("x")
    assert run_jdgen("build", "--project", small_project, "-o", tmp_path / "notes.txt" / "out") == 2
    assert capsys.readouterr().err.splitlines() == [
        f"jdgen: -o {tmp_path}/notes.txt/out: notes.txt is a file; choose another output folder"
    ]


def it_changes_nothing_when_the_pdf_step_fails_after_the_docx(small_project, tmp_path, capsys):
    out = tmp_path / "out"
    assert run_jdgen("build", "--project", small_project, "-o", out) == 0
    before = (out / "uus.docx").read_bytes()
    position = small_project / "positions/osakond/analyytik.yaml"
    position.write_text(position.read_text("utf-8").replace("Analüütik", "Vanemanalüütik"), "utf-8")
    capsys.readouterr()
    assert run_jdgen("build", "--project", small_project, "-o", out, "--pdf", "--timeout", "0.01") == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "soffice: LibreOffice did not finish the PDF conversion in 0.01 s — close other LibreOffice "
        "windows, or try again; the DOCX files are not affected"
    )
    assert (out / "uus.docx").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["uus.docx"]


def it_says_which_directives_were_updated(small_project, tmp_path, capsys, monkeypatch):
    write(small_project, "positions/teine/_unit.yaml", "name: Teine osakond\ngenitive: teise osakonna\n")
    write(small_project, "positions/teine/jurist.yaml", (small_project / "positions/osakond/analyytik.yaml")
          .read_text("utf-8").replace("Analüütik", "Jurist"))  # fmt: skip
    write(small_project, "directives/teine.yaml", "title: Ametijuhendi kinnitamine\nunit: positions/teine\n"
          "annexes: [positions/teine/jurist.yaml]\n")  # fmt: skip
    monkeypatch.chdir(tmp_path)
    assert run_jdgen("build", "--project", small_project, "-o", "out") == 0
    capsys.readouterr()
    jurist = small_project / "positions/teine/jurist.yaml"
    jurist.write_text(jurist.read_text("utf-8").replace("Jurist", "Vanemjurist"), "utf-8")
    assert run_jdgen("build", "--project", small_project, "-o", "out") == 0
    assert capsys.readouterr().out.splitlines() == [
        "out/teine.docx: draft (number and date left for the register), 1 annex (updated)",
        "out/uus.docx: nr 12 of 04.03.2025, 1 annex (unchanged)",
    ]


def it_lets_two_builds_into_one_folder_run_at_once(small_project, tmp_path):
    out = tmp_path / "out"
    command = [sys.executable, "-m", "jdgen", "build", "--project", str(small_project), "-o", str(out)]
    for _ in range(20):
        builds = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
        for build in builds:
            _, err = build.communicate(timeout=120)
            assert build.returncode == 0, err.decode()
        assert docx.Document(str(out / "uus.docx")).paragraphs
        assert leftovers(out) == []


def signed_container(path: Path) -> None:
    """Add a signature file, as DigiDoc4 does when it signs a container in place."""
    with zipfile.ZipFile(path, "a") as container:
        container.writestr(
            "META-INF/signatures0.xml",
            '<asic:XAdESSignatures xmlns:asic="http://uri.etsi.org/02918/v1.2.1#"/>',
        )


def signed_pdf(source: Path, target: Path) -> None:
    """A PDF with a signature field whose value is a signature dictionary, as a PAdES signer writes."""
    writer = PdfWriter(clone_from=PdfReader(source))
    signature = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Sig"),
            NameObject("/Filter"): NameObject("/Adobe.PPKLite"),
            NameObject("/SubFilter"): NameObject("/ETSI.CAdES.detached"),
            NameObject("/ByteRange"): ArrayObject([NumberObject(0)] * 4),
            NameObject("/Contents"): TextStringObject("0"),
        }
    )
    field = DictionaryObject(
        {
            NameObject("/FT"): NameObject("/Sig"),
            NameObject("/T"): TextStringObject("Signature1"),
            NameObject("/V"): writer._add_object(signature),
        }
    )
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject([writer._add_object(field)])}
    )
    with target.open("wb") as stream:
        writer.write(stream)


@pytest.mark.slow
def it_never_overwrites_a_signed_container_or_pdf_unless_forced(small_project, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run_jdgen("build", "--project", small_project, "-o", "out", "--container") == 0
    signed_container(tmp_path / "out/uus.asice")
    signed = (tmp_path / "out/uus.asice").read_bytes()
    capsys.readouterr()
    assert run_jdgen("build", "--project", small_project, "-o", "out", "--container") == 1
    assert capsys.readouterr().err.splitlines() == [
        "out/uus.asice: this is a signed ASiC-E container: a build does not overwrite a signed original "
        "— move it out of the output folder (into signed/, say), or build with --force to replace it",
        "1 error(s), 0 warning(s)",
    ]
    assert (tmp_path / "out/uus.asice").read_bytes() == signed

    signed_pdf(tmp_path / "out/uus.pdf", tmp_path / "signed.pdf")
    (tmp_path / "signed.pdf").replace(tmp_path / "out/uus.pdf")
    assert run_jdgen("build", "--project", small_project, "-o", "out", "--pdf") == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "out/uus.pdf: this is a signed PDF: a build does not overwrite a signed original "
        "— move it out of the output folder (into signed/, say), or build with --force to replace it"
    )
    assert run_jdgen("build", "--project", small_project, "-o", "out", "--container", "--force") == 0
    with zipfile.ZipFile(tmp_path / "out/uus.asice") as container:
        assert not any("signatures" in name for name in container.namelist())
