"""The floor: a whole process doing the least work a build of one directive can do with this stack.

It starts Python, parses the directive's YAML files with libyaml (an include taken as its text),
takes the template's values ready-made (pickled beforehand by the bench: no validation), renders
the template's body with plain Jinja (docxtpl's patched XML, jdgen's filters, no sandbox),
compresses it with zlib as a DOCX's zip entry is, and exits: nothing checked, no other part of the
document, nothing written. `make bench` times it as a process, like jdgen's build.

    python benchmarks/floor.py PREPARED.pickle   -> its parts' seconds as JSON
    prepare(root, directive, PREPARED.pickle)    (the bench, beforehand)
"""

from __future__ import annotations

import json
import pickle
import sys
import time
import zlib
from pathlib import Path

STARTED = time.perf_counter()

import jinja2  # noqa: E402  # the imports count: after the clock starts
import yaml  # noqa: E402

IMPORTS = [sys.executable, "-c", "import docx, docxtpl, yaml"]


def prepare(root: Path, directive: str, target: Path) -> None:
    """What the floor takes ready-made: the files to parse, the patched body, the context, the wording."""
    from docxtpl import DocxTemplate

    from jdgen.document.view import template_context
    from jdgen.project.assembly import assemble
    from jdgen.project.files import Project

    project = Project(root)
    sources = assemble(project, directive)
    if sources is None:
        raise SystemExit("\n".join(str(problem) for problem in project.problems))
    template = DocxTemplate(root / sources.organisation.template)
    template.init_docx()
    prepared = {
        "files": [str(root / name) for name in sorted(sources.files) if name.endswith(".yaml")],
        "body": template.patch_xml(template.get_xml()),
        "context": template_context(sources),
        "wording": sources.directive.wording_from(sources.organisation),
    }
    target.write_bytes(pickle.dumps(prepared))


def floor(prepared_path: Path) -> dict[str, float]:
    parts = {"imports_seconds": time.perf_counter() - STARTED}
    start = time.perf_counter()

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        def flatten_mapping(self, node):  # `<<: !include FILE`: not followed
            node.value = [(k, v) for k, v in node.value if k.tag != "tag:yaml.org,2002:merge"]
            super().flatten_mapping(node)

    Loader.add_constructor("!include", lambda loader, node: loader.construct_scalar(node))
    prepared = pickle.loads(prepared_path.read_bytes())
    for name in prepared["files"]:
        with open(name, "rb") as stream:
            yaml.load(stream, Loader=Loader)
    parts["yaml_seconds"] = time.perf_counter() - start
    start = time.perf_counter()
    from jdgen.document.view import filters  # the template's own filters, as any program rendering it needs

    environment = jinja2.Environment(autoescape=True)
    environment.filters.update(filters(prepared["wording"]))
    body = "".join(environment.from_string(prepared["body"]).generate(prepared["context"])).encode()
    parts["jinja_body_seconds"] = time.perf_counter() - start
    start = time.perf_counter()
    deflate = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)  # as zipfile does
    deflate.compress(body)
    deflate.flush()
    parts["zlib_body_seconds"] = time.perf_counter() - start
    return parts


if __name__ == "__main__":
    print(json.dumps(floor(Path(sys.argv[1]))))
