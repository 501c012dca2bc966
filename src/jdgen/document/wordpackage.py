"""What makes a DOCX a clean Word file besides its body: properties, settings, language, no leftovers.

Word asks to repair a file whose parts break their schema, and quietly skips proofing when the
settings say the spelling was already checked. Every DOCX jdgen writes goes through
`finish_word_package` just before it is saved:

- `docProps/core.xml` and `docProps/app.xml` are written here from the sources, with explicit
  namespace URIs. python-docx's own setters look prefixes up in a global map that docxcompose
  rebinds when it is imported (docxtpl imports it when it is installed: docxtpl#471,
  docxcompose#101, python-docx#1037), which wrote every property after the title twice;
- `w:proofState` is dropped (Word then checks the Estonian spelling), the compatibility mode is 15
  (no "[Compatibility Mode]" in Word's title bar);
- the document's language (`organisation.yaml`) is the default of every style;
- the template's thumbnail, a picture of the template and never of the document, is dropped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from lxml import etree

APPLICATION = "jdgen"  # without a version: the same sources give the same file after an upgrade

_CORE = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_DC = "http://purl.org/dc/elements/1.1/"
_DCTERMS = "http://purl.org/dc/terms/"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_APP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_WORD = "http://schemas.microsoft.com/office/word"
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
COMPATIBILITY_MODE = "15"  # Word 2013 and later

# Children of w:settings that come after w:compat, in the schema's order (ECMA-376 §17.15.1.78).
_AFTER_COMPAT = (
    "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions",
    "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults",
    "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)  # fmt: skip
# Children of w:rPr that come after w:lang.
_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")


@dataclass(frozen=True)
class DocumentProperties:
    """The file's metadata, all of it from the sources: no 'now', no user name of the machine."""

    title: str
    subject: str
    author: str
    company: str
    keywords: str = ""
    category: str = ""
    language: str = "et-EE"
    moment: dt.datetime = dt.datetime(2000, 1, 1)


def finish_word_package(document: Document, properties: DocumentProperties) -> None:
    """Make the package parts around the body clean and reproducible (see the module's docstring)."""
    package = document.part.package
    for rId, rel in list(package.rels.items()):
        if rel.reltype in (RT.CORE_PROPERTIES, RT.EXTENDED_PROPERTIES, RT.THUMBNAIL):
            del package.rels[rId]
    package.relate_to(
        Part(PackURI("/docProps/core.xml"), CT.OPC_CORE_PROPERTIES, core_xml(properties), package),
        RT.CORE_PROPERTIES,
    )
    package.relate_to(
        Part(PackURI("/docProps/app.xml"), CT.OFC_EXTENDED_PROPERTIES, app_xml(properties), package),
        RT.EXTENDED_PROPERTIES,
    )
    _settings(document.settings.element, properties.language)
    _language(document.styles.element, properties.language)


def drop_default_leftovers(document: Document) -> None:
    """Drop the parts of python-docx's default document that no directive uses: a blank thumbnail,
    a bibliography's custom XML and Word 2010's duplicate styles.

    For documents drawn from python-docx's default only: an agency's own template may hold custom
    XML that its document management needs."""
    for rId, rel in list(document.part.rels.items()):
        if rel.reltype in (RT.CUSTOM_XML, _STYLES_WITH_EFFECTS):
            del document.part.rels[rId]
    package = document.part.package
    for rId, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rId]


def core_xml(properties: DocumentProperties) -> bytes:
    """docProps/core.xml: each property once, in its standard namespace."""
    root = etree.Element(
        f"{{{_CORE}}}coreProperties",
        nsmap={"cp": _CORE, "dc": _DC, "dcterms": _DCTERMS, "xsi": _XSI},
    )
    moment = properties.moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    values = [
        (_DC, "title", properties.title),
        (_DC, "subject", properties.subject),
        (_DC, "creator", properties.author),
        (_CORE, "keywords", properties.keywords),
        (_CORE, "lastModifiedBy", properties.author),
        (_CORE, "revision", "1"),
        (_DCTERMS, "created", moment),
        (_DCTERMS, "modified", moment),
        (_CORE, "category", properties.category),
        (_DC, "language", properties.language),
    ]
    for namespace, name, value in values:
        if not value:
            continue
        element = etree.SubElement(root, f"{{{namespace}}}{name}")
        element.text = value
        if namespace == _DCTERMS:
            element.set(f"{{{_XSI}}}type", "dcterms:W3CDTF")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def app_xml(properties: DocumentProperties) -> bytes:
    """docProps/app.xml: the application that wrote the file and the agency it was written for."""
    root = etree.Element(f"{{{_APP}}}Properties", nsmap={None: _APP})  # type: ignore[dict-item]
    for name, value in (
        ("Application", APPLICATION),
        ("DocSecurity", "0"),
        ("ScaleCrop", "false"),
        ("Company", properties.company),
        ("LinksUpToDate", "false"),
        ("SharedDoc", "false"),
        ("HyperlinksChanged", "false"),
    ):
        etree.SubElement(root, f"{{{_APP}}}{name}").text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _settings(settings: etree._Element, language: str) -> None:
    for proof_state in settings.findall(qn("w:proofState")):
        settings.remove(proof_state)
    compat = settings.find(qn("w:compat"))
    if compat is None:
        compat = settings.makeelement(qn("w:compat"), {})
        _insert_before(settings, compat, _AFTER_COMPAT)
    mode = next(
        (s for s in compat.findall(qn("w:compatSetting")) if s.get(qn("w:name")) == "compatibilityMode"),
        None,
    )
    if mode is None:
        mode = etree.SubElement(compat, qn("w:compatSetting"))
        mode.set(qn("w:name"), "compatibilityMode")
        mode.set(qn("w:uri"), _WORD)
    mode.set(qn("w:val"), COMPATIBILITY_MODE)
    for theme_language in settings.findall(qn("w:themeFontLang")):
        theme_language.set(qn("w:val"), language)


def _language(styles: etree._Element, language: str) -> None:
    """The document's language as the default of every style (Word's proofing, the PDF's /Lang)."""
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = styles.makeelement(qn("w:docDefaults"), {})
        styles.insert(0, defaults)
    run_defaults = defaults.find(qn("w:rPrDefault"))
    if run_defaults is None:
        run_defaults = defaults.makeelement(qn("w:rPrDefault"), {})
        defaults.insert(0, run_defaults)
    run_properties = run_defaults.find(qn("w:rPr"))
    if run_properties is None:
        run_properties = etree.SubElement(run_defaults, qn("w:rPr"))
    if run_properties.find(qn("w:lang")) is None:
        _insert_before(run_properties, run_properties.makeelement(qn("w:lang"), {}), _AFTER_LANG)
    for element in styles.iter(qn("w:lang")):
        element.set(qn("w:val"), language)


def _insert_before(parent: etree._Element, child: etree._Element, successors: tuple[str, ...]) -> None:
    """Insert `child` before the first existing element named in `successors`, else at the end."""
    names = {qn(name) for name in successors}
    for index, existing in enumerate(parent):
        if existing.tag in names:
            parent.insert(index, child)
            return
    parent.append(child)
