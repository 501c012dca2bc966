"""The floor: a whole process doing the least work a build of one directive can do with this stack.

It starts Python, reads the directive's YAML as a docxtpl user would (`plain`: libyaml with an
include constructor, jdgen's models for the context the template needs), renders the template's
body with Jinja alone (docxtpl's patched XML, jdgen's context and filters), compresses it with zlib
as a DOCX's zip entry is, and exits; no checks, no other part of the document, nothing written.
`make bench` times it as a process, like jdgen's build, and reports how close jdgen comes.

    python benchmarks/floor.py PROJECT DIRECTIVE.yaml   -> its parts' seconds as JSON
"""

from __future__ import annotations

import json
import sys
import time
import zlib
from pathlib import Path

STARTED = time.perf_counter()

from docxtpl import DocxTemplate  # noqa: E402  # the imports count: after the clock starts
from plain import directive_sources  # noqa: E402

from jdgen.render import jinja_environment  # noqa: E402
from jdgen.view import template_context  # noqa: E402

IMPORTS = [sys.executable, "-c", "import docx, docxtpl, yaml"]


def floor(root: Path, directive: str) -> dict[str, float]:
    parts = {"imports_seconds": time.perf_counter() - STARTED}
    start = time.perf_counter()
    sources = directive_sources(root, directive)
    parts["yaml_seconds"] = time.perf_counter() - start
    start = time.perf_counter()
    template = DocxTemplate(root / sources.organisation.template)
    template.init_docx()
    environment = jinja_environment(sources.directive.wording_from(sources.organisation))
    compiled = environment.from_string(template.patch_xml(template.get_xml()))
    body = "".join(compiled.generate(template_context(sources))).encode()
    parts["jinja_body_seconds"] = time.perf_counter() - start
    start = time.perf_counter()
    deflate = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)  # as zipfile does
    deflate.compress(body)
    deflate.flush()
    parts["zlib_body_seconds"] = time.perf_counter() - start
    return parts


if __name__ == "__main__":
    print(json.dumps(floor(Path(sys.argv[1]), sys.argv[2])))
