"""`jdgen verify` on files signed here as DigiDoc4 would sign them, with a self-signed test
certificate made in the test: an ASiC-E container with a XAdES B-B (BES) signature (libdigidocpp,
the library DigiDoc4 is built on) and a PDF with a PAdES B-B signature (pyHanko). The signed
document is compared with what the sources build now: "matches" (exit 0), "differs" after one
result of a position changes (exit 1), "not signed" for a file nobody signed."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from conftest import DIRECTIVE_177, REPO, SKA, run_jdgen

SIGNER = "TAMM,MARI,38001010000"  # an ID card's common name: surname, given name, personal code
POSITION = (
    "positions/oiguse-ja-jarelevalve-osakond/jarelevalve-talitus/peaspetsialist-jarelevalve-arendus.yaml"
)


@pytest.fixture(scope="module")
def test_key(tmp_path_factory) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate, Path]:
    """A key, its self-signed certificate for non-repudiation (as on an ID card), and both as .p12."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "EE"),
            x509.NameAttribute(NameOID.COMMON_NAME, SIGNER),
            x509.NameAttribute(NameOID.SURNAME, "TAMM"),
            x509.NameAttribute(NameOID.GIVEN_NAME, "MARI"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    usage = x509.KeyUsage(
        digital_signature=False,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(usage, critical=True)
        .sign(key, hashes.SHA256())
    )
    p12 = tmp_path_factory.mktemp("key") / "signer.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"signer", key, certificate, None, serialization.BestAvailableEncryption(b"test")
        )
    )
    return key, certificate, p12


def sign_container(path: Path, test_key) -> None:
    """Sign an .asice in place with a XAdES BES signature, as DigiDoc4 does with an ID card."""
    from jdgen.signing.signatures import digidoc_library

    digidoc = digidoc_library()
    container = digidoc.Container.open(str(path))
    signer = digidoc.PKCS12Signer(str(test_key[2]), "test")
    signer.set_profile("BES")
    container.sign(signer)
    container.save()


def sign_pdf(path: Path, test_key, *, paint_page: int | None = None, stamp: bool = False) -> bytes:
    """Sign a PDF in place with a PAdES B-B signature (an incremental update); the bytes before.
    A forger's signed update: `paint_page` adds a black box to that page's content in the same
    update, `stamp` gives the signature a visible stamp over the first page."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.fields import SigSeedSubFilter

    key, certificate, _ = test_key
    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)),
        signing_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        ),
        cert_registry=None,
    )
    original = path.read_bytes()
    out = io.BytesIO()
    metadata = signers.PdfSignatureMetadata(field_name="Allkiri", subfilter=SigSeedSubFilter.PADES)
    writer = IncrementalPdfFileWriter(io.BytesIO(original))
    if paint_page is not None:
        page = writer.root["/Pages"]["/Kids"][paint_page - 1].get_object()
        box = writer.add_object(generic.StreamObject(stream_data=b"0 0 0 rg 50 400 500 300 re f"))
        page["/Contents"] = generic.ArrayObject([page.raw_get("/Contents"), box])
        writer.update_container(page)
    field = fields.SigFieldSpec("Allkiri", on_page=0, box=(50, 50, 550, 750)) if stamp else None
    signers.sign_pdf(writer, metadata, signer=signer, output=out, new_field_spec=field)
    path.write_bytes(out.getvalue())
    return original


def change_one_result(project: Path) -> None:
    position = project / POSITION
    text = position.read_text("utf-8")
    assert "Juhendmaterjalid on koostatud ja ajakohastatud." in text
    position.write_text(
        text.replace("on koostatud ja ajakohastatud.", "on koostatud ja kinnitatud.", 1), "utf-8"
    )


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["asice", "pdf"])
def it_says_whether_a_signed_file_is_what_the_sources_build(
    kind, example_project, tmp_path, test_key, capsys
):
    out = tmp_path / "signed"
    assert run_jdgen("build", DIRECTIVE_177, "-o", out, "--container", "--project", example_project) == 0
    signed = out / f"ska-2024-177.{kind}"
    if kind == "asice":
        sign_container(signed, test_key)
        profile = "XAdES B-B (BES)"
    else:
        built = sign_pdf(signed, test_key)
        assert signed.read_bytes().startswith(built)
        profile = "PAdES B-B"
    capsys.readouterr()

    assert run_jdgen("verify", signed, "--project", example_project) == 0
    said = capsys.readouterr().out.splitlines()
    assert said[0].endswith(f"with 1 signature, compared with {DIRECTIVE_177} (nr 177 of 13.12.2024)")
    assert said[1].startswith(f"  signature 1: {SIGNER}, ") and said[1].endswith(
        f"(the signer's clock), {profile}"
    )
    assert said[2] == "    intact: the signed bytes are unchanged and the signature value checks out"
    assert said[3].startswith("    not confirmed offline: ")  # a self-signed certificate is trusted by nobody
    assert said[-2].endswith(": matches what the sources build now, byte for byte")
    assert said[-1] == "matches"

    change_one_result(example_project)
    assert run_jdgen("verify", signed, "--project", example_project) == 1
    said = capsys.readouterr().out.splitlines()
    assert said[-1] == "differs"
    assert any(line.endswith(": differs from what the sources build now") for line in said)
    assert any("Juhendmaterjalid on koostatud ja [-ajakohastatud.-] {+kinnitatud.+}" in line for line in said)


@pytest.mark.slow
def it_says_an_unsigned_file_is_not_signed(example_project, tmp_path, capsys):
    out = tmp_path / "out"
    assert run_jdgen("build", DIRECTIVE_177, "-o", out, "--container", "--project", example_project) == 0
    capsys.readouterr()
    for name in ("ska-2024-177.asice", "ska-2024-177.pdf"):
        assert run_jdgen("verify", out / name, "--project", example_project) == 1
        said = capsys.readouterr().out.splitlines()
        assert "with 0 signatures" in said[0]
        assert said[-1] == "not signed"


@pytest.mark.slow
def it_says_a_signature_is_broken_when_a_signed_file_was_changed(example_project, tmp_path, test_key, capsys):
    out = tmp_path / "out"
    assert run_jdgen("build", DIRECTIVE_177, "-o", out, "--container", "--project", example_project) == 0
    signed = out / "ska-2024-177.asice"
    sign_container(signed, test_key)
    tampered = out / "ska-2024-177-changed.asice"
    with zipfile.ZipFile(signed) as source, zipfile.ZipFile(tampered, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith(".pdf"):
                data = data.replace(b"/Title", b"/Titel", 1)
            target.writestr(info, data)
    capsys.readouterr()
    assert run_jdgen("verify", tampered, DIRECTIVE_177, "--project", example_project) == 1
    said = capsys.readouterr().out.splitlines()
    # jdgen's own digest check, whatever words libdigidocpp chooses (they are quoted after it)
    assert said[2].startswith(
        "    NOT intact: Käskkiri nr 177 – Ametijuhendite kinnitamine.pdf is not the file that was "
        "signed (its digest differs)"
    ), said
    assert said[-1] == "broken"


def it_says_in_one_line_what_it_cannot_verify(example_project, tmp_path, capsys):
    other = example_project / "kiri.docx"
    other.write_bytes(b"PK")
    assert run_jdgen("verify", other, "--project", example_project) == 1
    assert capsys.readouterr().err.splitlines() == [
        "kiri.docx: jdgen verifies .asice containers and signed PDFs, not .docx — give the .asice "
        "that DigiDoc4 signed, or the signed .pdf",
        "1 error(s), 0 warning(s)",
    ]


def draw_over_page_one(path: Path) -> None:
    """What a forger would do: an incremental update after the signature that paints a black box
    over page 1 (the signed bytes stay as they were)."""
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject

    writer = PdfWriter(path, incremental=True)
    page = writer.pages[0]
    box = DecodedStreamObject()
    box.set_data(b"0 0 0 rg 50 400 500 300 re f")
    contents = page["/Contents"]
    drawn = ArrayObject(contents if isinstance(contents, ArrayObject) else [contents])
    drawn.append(writer._add_object(box))
    page[NameObject("/Contents")] = drawn
    out = io.BytesIO()
    writer.write(out)
    assert out.getvalue().startswith(path.read_bytes())
    path.write_bytes(out.getvalue())


@pytest.mark.slow
def it_says_a_signed_pdf_changed_after_signing_is_broken(example_project, tmp_path, test_key, capsys):
    out = tmp_path / "out"
    assert run_jdgen("build", DIRECTIVE_177, "-o", out, "--pdf", "--project", example_project) == 0
    signed = out / "ska-2024-177.pdf"
    sign_pdf(signed, test_key)
    draw_over_page_one(signed)
    capsys.readouterr()
    assert run_jdgen("verify", signed, "--project", example_project) == 1
    said = capsys.readouterr().out.splitlines()
    assert said[2].startswith("    NOT intact: the file was changed after this signature")
    assert said[-1] == "broken"


@pytest.mark.slow
def it_finds_the_directive_by_the_names_inside_and_says_what_is_no_pdf(
    example_project, tmp_path, test_key, capsys
):
    """DigiDoc4 keeps the names of the files it was given: a container renamed by the register is
    still found by the name of the PDF inside ("Käskkiri nr 177 – …"), among several directives.
    A signed file that is not a PDF at all is a difference, said in words."""
    other = (example_project / DIRECTIVE_177).read_text("utf-8").replace("number: 177", "number: 178")
    (example_project / "directives/muu.yaml").write_text(other, "utf-8")
    out = tmp_path / "out"
    assert run_jdgen("build", DIRECTIVE_177, "-o", out, "--container", "--project", example_project) == 0
    renamed = out / "allkirjastatud.asice"
    (out / "ska-2024-177.asice").rename(renamed)
    sign_container(renamed, test_key)
    capsys.readouterr()
    assert run_jdgen("verify", renamed, "--project", example_project) == 0
    assert (
        capsys.readouterr()
        .out.splitlines()[0]
        .endswith(f"compared with {DIRECTIVE_177} (nr 177 of 13.12.2024)")
    )

    fake = out / "vale.asice"
    with zipfile.ZipFile(renamed) as source, zipfile.ZipFile(fake, "w") as target:
        for info in source.infolist():
            if not info.filename.startswith("META-INF/signatures"):
                data = source.read(info)
                target.writestr(info, b"not a PDF" if info.filename.endswith(".pdf") else data)
    sign_container(fake, test_key)
    capsys.readouterr()
    assert run_jdgen("verify", fake, "--project", example_project) == 1
    said = capsys.readouterr().out.splitlines()
    assert said[-2] == (
        "  Käskkiri nr 177 – Ametijuhendite kinnitamine.pdf: differs from what the sources build now "
        "(not a readable PDF)"
    )
    assert said[-1] == "differs"

    unnamed = out / "allkiri.pdf"
    unnamed.write_bytes((out / "ska-2024-177.pdf").read_bytes())
    assert run_jdgen("verify", unnamed, "--project", example_project) == 1
    assert capsys.readouterr().err.splitlines() == [
        "out/allkiri.pdf: which directive is it? Its name is none of the directives' — name it after the "
        "file: jdgen verify FILE directives/NAME.yaml (jdgen list shows them)",
        "1 error(s), 0 warning(s)",
    ]


# -- what a forger would try (docs/security.md) ------------------------------------------------


@pytest.fixture(scope="module")
def built_container(tmp_path_factory) -> Path:
    """Nr 177's DOCX, PDF/A and container, built once from the shipped project for the forgeries."""
    out = tmp_path_factory.mktemp("built")
    assert run_jdgen("build", SKA / DIRECTIVE_177, "-o", out, "--container", "--project", SKA) == 0
    return out


@pytest.mark.slow
@pytest.mark.parametrize(
    ("forgery", "said"),
    [
        ("paint_page", "page 2 is changed (/Contents)"),
        ("stamp", "a signature shows a stamp on page 1, which jdgen did not build"),
    ],
)
def it_says_a_pdf_signed_with_more_than_the_built_document_differs(
    built_container, tmp_path, test_key, capsys, forgery, said
):
    """The signature is intact and its signed bytes start with the built PDF, but the update it
    signs also draws on a page: not a match."""
    signed = tmp_path / "ska-2024-177.pdf"
    signed.write_bytes((built_container / "ska-2024-177.pdf").read_bytes())
    built = sign_pdf(signed, test_key, **({"paint_page": 2} if forgery == "paint_page" else {"stamp": True}))
    assert signed.read_bytes().startswith(built)
    settings = user_settings()
    capsys.readouterr()
    assert run_jdgen("verify", signed, "--project", SKA) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[2] == "    intact: the signed bytes are unchanged and the signature value checks out"
    assert lines[-2] == (
        "  ska-2024-177.pdf: differs from what the sources build now (it holds the built PDF and more "
        f"than signatures: {said})"
    )
    assert lines[-1] == "differs"
    assert user_settings() == settings  # DigiDoc4's settings are the user's, not jdgen's to change


def user_settings() -> bytes | None:
    """libdigidocpp's per-user settings (read by DigiDoc4 too), where it keeps them."""
    import pwd

    path = Path(pwd.getpwuid(os.getuid()).pw_dir) / ".digidocpp/digidocpp.conf"
    return path.read_bytes() if path.is_file() else None


@pytest.mark.slow
def it_says_a_file_no_signature_signs_differs(built_container, tmp_path, test_key, capsys):
    """A file put into a signed container after signing (the very DOCX jdgen builds, listed in the
    manifest so that DigiDoc4 opens it): the signature is intact, but it does not sign the file."""
    signed = tmp_path / "ska-2024-177.asice"
    signed.write_bytes((built_container / "ska-2024-177.asice").read_bytes())
    sign_container(signed, test_key)
    added, name = tmp_path / "added.asice", "Käskkiri nr 177 – Ametijuhendite kinnitamine.docx"
    with zipfile.ZipFile(signed) as source, zipfile.ZipFile(added, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "META-INF/manifest.xml":  # listed, so that DigiDoc4 opens it
                entry = f'<manifest:file-entry manifest:full-path="{name}" manifest:media-type="x"/>'.encode()
                data = data.replace(b"</manifest:manifest>", entry + b"</manifest:manifest>")
            target.writestr(info, data)
        target.writestr(name, (built_container / "ska-2024-177.docx").read_bytes())
    added.replace(signed)
    capsys.readouterr()
    assert run_jdgen("verify", signed, "--project", SKA) == 1
    lines = capsys.readouterr().out.splitlines()
    unsigned = "a signature of the container does not sign this file"
    assert f"  {name}: differs from what the sources build now ({unsigned})" in lines
    assert lines[-1] == "differs"


def it_refuses_a_container_that_unpacks_to_gigabytes(tmp_path, capsys):
    """A zip bomb: 300 MB of zeros packed into a few hundred kilobytes. Refused before anything
    unpacks it, and nothing is left in the temporary folder."""
    bomb = tmp_path / "ska-2024-177.asice"
    with zipfile.ZipFile(bomb, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.etsi.asic-e+zip")
        member = zipfile.ZipInfo("Käskkiri.pdf")
        member.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(member, "w", force_zip64=True) as stream:
            chunk = bytes(1024 * 1024)
            for _ in range(300):
                stream.write(chunk)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    before = set(Path(tempfile.gettempdir()).iterdir())
    assert run_jdgen("verify", bomb, "--project", SKA) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{bomb}: the file unpacks to 300 MB, more than a document has (256 MB at most) — give the "
        ".asice file DigiDoc4 saved",
        "1 error(s), 0 warning(s)",
    ]
    assert set(Path(tempfile.gettempdir()).iterdir()) <= before


def _without_number_and_date(text: str) -> str:
    return "".join(
        line for line in text.splitlines(keepends=True) if not line.startswith(("number:", "date:"))
    )


@pytest.mark.slow
def it_says_a_draft_was_signed_before_and_after_the_register_numbered_it(
    example_project, tmp_path, test_key, capsys
):
    """The trap of signing `build/NAME.pdf` before the register's number and date are in: verify
    says a draft was signed (exit 1), and still does once they are written in."""
    path = example_project / DIRECTIVE_177
    numbered = path.read_text("utf-8")
    path.write_text(_without_number_and_date(numbered), "utf-8")
    out = tmp_path / "out"
    assert run_jdgen("build", DIRECTIVE_177, "-o", out, "--pdfa", "--project", example_project) == 0
    signed = out / "ska-2024-177.pdf"
    sign_pdf(signed, test_key)
    for _turn in ("a draft in the sources", "the register's number and date written in"):
        capsys.readouterr()
        assert run_jdgen("verify", signed, "--project", example_project) == 1
        said = capsys.readouterr().out.splitlines()
        assert said[-1] == "a draft was signed", said
        assert said[-2].startswith("  what was signed is a draft, without the register's number and date")
        path.write_text(numbered, "utf-8")


@pytest.mark.slow
def it_makes_for_signature_each_numbered_directive_not_signed_yet(example_project, test_key, capsys):
    """`make for-signature`: PDF/A in a container, into signed/ (outside build/); a draft is said
    and not made (named, it is an error); a signed original is left as it is."""
    from pypdf import PdfReader

    draft = example_project / "directives/eelnou.yaml"
    draft.write_text(_without_number_and_date((example_project / DIRECTIVE_177).read_text("utf-8")), "utf-8")
    capsys.readouterr()
    assert run_jdgen("build", "--for-signature", "--project", example_project) == 0
    said = capsys.readouterr().out
    assert "directives/eelnou.yaml: a draft (no number and date yet), not made for signature" in said
    signed = example_project / "signed"
    assert sorted(p.name for p in signed.iterdir()) == [
        f"ska-2024-177.{kind}" for kind in ("asice", "docx", "pdf")
    ]
    with zipfile.ZipFile(signed / "ska-2024-177.asice") as container:
        [pdf] = [container.read(name) for name in container.namelist() if name.endswith(".pdf")]
    metadata = PdfReader(io.BytesIO(pdf)).xmp_metadata
    assert metadata is not None and b"pdfaid:part" in metadata.stream.get_data()  # PDF/A: what is archived
    sign_container(signed / "ska-2024-177.asice", test_key)
    original = (signed / "ska-2024-177.asice").read_bytes()
    assert run_jdgen("build", "--for-signature", "--project", example_project) == 0
    assert "signed/ska-2024-177.asice: signed already, left as it is" in capsys.readouterr().out
    assert (signed / "ska-2024-177.asice").read_bytes() == original
    assert run_jdgen("build", "--for-signature", draft, "--project", example_project) == 1
    assert "a draft (no number and date) is not packed for signature" in capsys.readouterr().err


# What the walk reads in each language: the catalog's words, as HR sees them.
WALK = {
    "C.UTF-8": {
        "lisa": "it is Lisa 9 now",
        "draft": "a draft (no number and date yet), not made for signature",
        "draft signed": "a draft was signed",
        "matches": "matches",
    },
    "et_EE.UTF-8": {
        "lisa": "see on nüüd Lisa 9",
        "draft": "eelnõu (numbrit ja kuupäeva veel pole), allkirjastamiseks ei koostata",
        "draft signed": "allkirjastati eelnõu",
        "matches": "ühtib",
    },
}


@pytest.mark.slow
@pytest.mark.long
@pytest.mark.parametrize("lang", list(WALK))
def it_walks_hrs_way_from_a_new_position_to_a_signed_archival_pdf(example_project, test_key, lang):
    """HR's steps (docs/hr.md), as written, in the user's language: a new position into the
    directive (2), check (3), `make pdf` (4: a draft), the register's number and date (5), `make
    for-signature` (6), the director's signature (7, a test key) and `jdgen verify`: "matches".
    The draft is not made for signature at step 6, and the draft of step 4, signed, is told
    "a draft was signed" by verify."""
    from pypdf import PdfReader

    project, said = example_project, WALK[lang]
    for name in ("Makefile", "pyproject.toml", "requirements.lock", "scripts/install-system-deps"):
        (project / name).parent.mkdir(exist_ok=True)
        shutil.copy(REPO / name, project / name)
    (project / ".installed").touch()
    (project / ".compiled").touch()
    directive = project / DIRECTIVE_177
    numbered = directive.read_text("utf-8")
    directive.write_text(_without_number_and_date(numbered), "utf-8")  # HR starts from a draft
    env = {**os.environ, "LANG": lang, "LC_ALL": "", "LC_MESSAGES": "", "LANGUAGE": ""}

    def run(*command: str | Path) -> subprocess.CompletedProcess[str]:
        make = [
            "make",
            "--no-print-directory",
            f"VENV={sys.prefix}",
            "STAMP=.installed",
            "COMPILED=.compiled",
        ]
        argv = (
            [*make, *map(str, command[1:])]
            if command[0] == "make"
            else [sys.executable, "-m", *map(str, command)]
        )
        return subprocess.run(
            argv, cwd=project, env=env, capture_output=True, text=True, check=False, timeout=600
        )

    unit = Path(POSITION).parent
    step = run(
        "jdgen",
        "new",
        "position",
        "--unit",
        unit,
        "--title",
        "Peaspetsialist (andmed)",
        "--directive",
        DIRECTIVE_177,
    )
    assert step.returncode == 0 and step.stdout.splitlines()[-1] == f"{DIRECTIVE_177}: {said['lisa']}", step
    step = run("jdgen", "check")
    assert step.returncode == 0, step.stderr
    step = run("make", "pdf")
    assert step.returncode == 0, step.stdout + step.stderr
    draft_pdf = project / "build/ska-2024-177.pdf"
    assert "KAVAND" in PdfReader(draft_pdf).pages[0].extract_text()

    # The trap: the draft of step 4 signed. make for-signature refuses it; verify says what was signed.
    step = run("make", "for-signature")
    assert step.returncode == 0 and f"{DIRECTIVE_177}: {said['draft']}" in step.stdout, step
    assert not (project / "signed/ska-2024-177.asice").exists()
    signed_draft = project / "signed-draft.pdf"
    shutil.copy(draft_pdf, signed_draft)
    sign_pdf(signed_draft, test_key)

    register = "".join(
        line for line in numbered.splitlines(keepends=True) if line.startswith(("number:", "date:"))
    )
    directive.write_text(register + directive.read_text("utf-8"), "utf-8")  # step 5: the register's
    step = run("jdgen", "verify", signed_draft)
    assert step.returncode == 1 and step.stdout.splitlines()[-1] == said["draft signed"], step

    step = run("make", "for-signature")  # step 6
    assert step.returncode == 0, step.stdout + step.stderr
    container = project / "signed/ska-2024-177.asice"
    sign_container(container, test_key)  # step 7: the director in DigiDoc4
    step = run("jdgen", "verify", container)
    assert step.returncode == 0 and step.stdout.splitlines()[-1] == said["matches"], step
    with zipfile.ZipFile(container) as opened:
        [pdf] = [opened.read(name) for name in opened.namelist() if name.endswith(".pdf")]
    archived = PdfReader(io.BytesIO(pdf))
    assert archived.xmp_metadata is not None and b"pdfaid:part" in archived.xmp_metadata.stream.get_data()
    text = "".join(page.extract_text() for page in archived.pages)
    assert "Peaspetsialist (andmed)" in text and "KAVAND" not in text and "Lisa 9" in text
    assert not (project / "build/signed").exists() and container.is_file()  # outside build/
