"""The floor: what the work of a build costs with this stack when nothing else is done.

For one directive of a generated project, in this process (medians of repeated runs): parsing its
YAML files with libyaml, rendering the template's body with Jinja alone (docxtpl's patched XML,
jdgen's context and filters), compressing that body with zlib as a DOCX's zip entry is, plus the
bare imports (`python -c "import docx, docxtpl, yaml"`, a child process). jdgen cannot be faster
than their sum; `make bench` reports how close it comes.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import yaml
from docxtpl import DocxTemplate

from jdgen.project import Project
from jdgen.render import jinja_environment
from jdgen.view import template_context

IMPORTS = [sys.executable, "-c", "import docx, docxtpl, yaml"]


def median_seconds(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def imports_seconds() -> float:
    """One child process that only imports python-docx, docxtpl and PyYAML: its wall time."""
    start = time.perf_counter()
    subprocess.run(IMPORTS, check=True)
    return time.perf_counter() - start


def floor(root: Path, directive: str, *, runs: int) -> dict[str, float]:
    project = Project(root)
    sources = project.directive_sources(directive)
    if sources is None:
        raise SystemExit("\n".join(str(problem) for problem in project.problems))
    # The same texts; a merge key `<<: !include` made a plain key, as the include is not followed.
    texts = [
        (root / name).read_text("utf-8").replace("<<:", "merged:")
        for name in sorted(sources.files)
        if name.endswith(".yaml")
    ]

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        """libyaml's safe loader, taking `!include PATH` as the text it is (not followed)."""

    Loader.add_constructor("!include", lambda loader, node: loader.construct_scalar(node))

    template = DocxTemplate(root / sources.organisation.template)
    template.init_docx()
    environment = jinja_environment(sources.directive.wording_from(sources.organisation))
    compiled = environment.from_string(template.patch_xml(template.get_xml()))
    context = template_context(sources)
    body = "".join(compiled.generate(context)).encode()

    def compress() -> bytes:
        deflate = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)  # as zipfile does
        return deflate.compress(body) + deflate.flush()

    parts = {
        "yaml_parse_seconds": median_seconds(lambda: [yaml.load(t, Loader=Loader) for t in texts], runs),
        "jinja_body_seconds": median_seconds(lambda: "".join(compiled.generate(context)), runs),
        "zlib_body_seconds": median_seconds(compress, runs),
        "imports_seconds": statistics.median(imports_seconds() for _ in range(runs)),
    }
    return {**parts, "body_bytes": len(body), "floor_seconds": sum(parts.values())}
