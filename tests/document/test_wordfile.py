"""The DOCX opens in Word without a repair prompt: its package parts, read back with lxml and zipfile.

The parts are read in a fresh Python process that never imports docxtpl or docxcompose, so what is
checked is the file, not a namespace map that those libraries may have changed in this process.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import SKA, run_jdgen, write

# Reads the package parts with lxml alone and prints what the tests check, as JSON.
READER = r"""
import json, sys, zipfile
from lxml import etree

assert "docxtpl" not in sys.modules and "docxcompose" not in sys.modules
archive = zipfile.ZipFile(sys.argv[1])
names = archive.namelist()
core = etree.fromstring(archive.read("docProps/core.xml"))
app = etree.fromstring(archive.read("docProps/app.xml"))
settings = etree.fromstring(archive.read("word/settings.xml"))
styles = etree.fromstring(archive.read("word/styles.xml"))
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
print(json.dumps({
    "names": names,
    "core": [child.tag for child in core],
    "core_values": {etree.QName(child).localname: child.text for child in core},
    "app": {etree.QName(child).localname: child.text for child in app},
    "proof_state": len(settings.findall(W + "proofState")),
    "compatibility_mode": [
        s.get(W + "val")
        for s in settings.iter(W + "compatSetting")
        if s.get(W + "name") == "compatibilityMode"
    ],
    "default_language": [
        e.get(W + "val") for e in styles.iterfind(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    ],
    "languages": sorted({e.get(W + "val") for e in styles.iter(W + "lang")}),
    "imported": sorted(m for m in ("docxtpl", "docxcompose", "docx") if m in sys.modules),
}))
"""

CORE = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"


def parts(docx: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", READER, str(docx)], capture_output=True, text=True, check=True, timeout=60
    )
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def parts_177(built_177) -> dict:
    return parts(built_177)


def it_writes_every_core_property_once_in_its_standard_namespace(parts_177):
    assert parts_177["imported"] == []
    assert parts_177["core"] == [
        f"{{{DC}}}title",
        f"{{{DC}}}subject",
        f"{{{DC}}}creator",
        f"{{{CORE}}}keywords",
        f"{{{CORE}}}lastModifiedBy",
        f"{{{CORE}}}revision",
        f"{{{DCTERMS}}}created",
        f"{{{DCTERMS}}}modified",
        f"{{{CORE}}}category",
        f"{{{DC}}}language",
    ]
    assert parts_177["core_values"] == {
        "title": "Ametijuhendite kinnitamine",
        "subject": "Õiguse ja järelevalve osakond, järelevalve talitus",
        "creator": "Sotsiaalkindlustusamet",
        "keywords": "nr 177",
        "lastModifiedBy": "Sotsiaalkindlustusamet",
        "revision": "1",
        "created": "2024-12-13T00:00:00Z",
        "modified": "2024-12-13T00:00:00Z",
        "category": "1-1 Põhitegevuse käskkirjad",
        "language": "et-EE",
    }


def it_keeps_the_core_properties_right_when_docxcompose_rebinds_the_prefix(small_project, tmp_path):
    """docxcompose rebinds python-docx's `cp` prefix when imported (docxtpl imports it when installed)."""
    build = (
        "import sys, docxcompose.properties, docx.oxml.ns as ns\n"
        "assert ns.nsmap['cp'].endswith('custom-properties')\n"
        "from jdgen.cli.main import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    out = tmp_path / "out"
    subprocess.run(
        [sys.executable, "-c", build, "build", "--project", small_project, "-o", out], check=True, timeout=120
    )
    found = parts(out / "uus.docx")
    assert len(found["core"]) == len(set(found["core"])) == 10
    assert all(tag.startswith((f"{{{CORE}}}", f"{{{DC}}}", f"{{{DCTERMS}}}")) for tag in found["core"])


def it_lets_word_check_the_spelling_in_the_organisations_language(parts_177):
    assert parts_177["proof_state"] == 0
    assert parts_177["default_language"] == ["et-EE"]
    assert parts_177["languages"] == ["et-EE"]


def it_is_no_compatibility_mode_document(parts_177):
    assert parts_177["compatibility_mode"] == ["15"]


def it_names_jdgen_and_the_agency_as_its_origin(parts_177):
    assert parts_177["app"] == {
        "Application": "jdgen",
        "DocSecurity": "0",
        "ScaleCrop": "false",
        "Company": "Sotsiaalkindlustusamet",
        "LinksUpToDate": "false",
        "SharedDoc": "false",
        "HyperlinksChanged": "false",
    }


def it_carries_no_thumbnail_and_no_leftover_parts(parts_177):
    assert sorted(parts_177["names"]) == [
        "[Content_Types].xml",
        "_rels/.rels",
        "docProps/app.xml",
        "docProps/core.xml",
        "word/_rels/document.xml.rels",
        "word/document.xml",
        "word/fontTable.xml",
        "word/footer1.xml",  # the page number from page 2
        "word/header1.xml",  # a draft's marking from page 2
        "word/header2.xml",  # the first page's: the letterhead and a draft's marking
        "word/numbering.xml",
        "word/settings.xml",
        "word/styles.xml",
        "word/theme/theme1.xml",
        "word/webSettings.xml",
    ]


def it_drops_a_thumbnail_that_the_template_carries(small_project, tmp_path):
    template = small_project / "templates/kaskkiri.docx"
    with (
        zipfile.ZipFile(SKA / "templates/kaskkiri.docx") as source,
        zipfile.ZipFile(template, "w") as target,
    ):
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "_rels/.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/package/2006/'
                    b'relationships/metadata/thumbnail" Target="docProps/thumbnail.jpeg"/></Relationships>',
                )
            if entry.filename == "[Content_Types].xml":
                data = data.replace(
                    b"<Default ", b'<Default Extension="jpeg" ContentType="image/jpeg"/><Default ', 1
                )
            target.writestr(entry, data)
        target.writestr("docProps/thumbnail.jpeg", b"\xff\xd8\xff\xd9")
    assert run_jdgen("build", "--project", small_project, "-o", tmp_path / "out") == 0
    assert not any("thumbnail" in name for name in parts(tmp_path / "out" / "uus.docx")["names"])


def it_writes_the_language_organisation_yaml_names(small_project, tmp_path):
    organisation = small_project / "organisation.yaml"
    organisation.write_text(organisation.read_text("utf-8") + "language: en-GB\n", encoding="utf-8")
    assert run_jdgen("build", "--project", small_project, "-o", tmp_path / "out") == 0
    found = parts(tmp_path / "out" / "uus.docx")
    assert found["core_values"]["language"] == "en-GB"
    assert found["default_language"] == ["en-GB"]
    assert found["languages"] == ["en-GB"]


def it_makes_the_tracked_changes_file_as_clean(example_project, tmp_path, monkeypatch):
    monkeypatch.chdir(example_project)
    position = "positions/oiguse-ja-jarelevalve-osakond/jarelevalve-talitus/ekspert-projekt.yaml"
    changed = write(tmp_path, "changed.yaml", (example_project / position).read_text("utf-8"))
    changed.write_text(changed.read_text("utf-8").replace("title: Ekspert", "title: Vanemekspert"), "utf-8")
    new_position = example_project / position.replace("ekspert-projekt", "uus")
    new_position.write_bytes(changed.read_bytes())
    target = tmp_path / "changes.docx"
    assert run_jdgen("diff", position, new_position, "--docx", target) == 0
    found = parts(target)
    assert len(found["core"]) == len(set(found["core"]))
    assert found["proof_state"] == 0
    assert found["compatibility_mode"] == ["15"]
    assert found["app"]["Application"] == "jdgen"
    assert found["app"]["Company"] == "Sotsiaalkindlustusamet"
    assert not any("thumbnail" in name or "customXml" in name for name in found["names"])
