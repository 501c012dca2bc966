"""The package's layers as the README draws them: every import points down, none up, none sideways.

A module may import from the layers below its own only; a module that is not in `LAYERS` (nor in
the README's drawing) fails the test, so the drawing stays the truth.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "src/jdgen"
# Bottom first, as the README's "Layers" draws them (there top first).
LAYERS = [
    ["fieldparts", "inflection", "i18n"],
    ["agency"],
    [
        "jdgen",
        "errors",
        "model",
        "number",
        "textdiff",
        "yamltext",
        "yamlsafe",
        "wordpackage",
        "templatetext",
        "templatelimits",
        "wordings",
    ],
    ["located", "folders", "zipsafe", "pdfupdates", "sandbox", "sourcelinks", "localhost", "watching"],
    [
        "load", "output", "gitrepo", "office", "render_stream", "approval", "forks", "progress",
        "sourcetext", "memo",
    ],
    ["modelerrors", "review", "pasted", "layout", "signed", "view", "citations", "freshness"],
    ["extras", "annextext", "signatures", "phrases"],
    ["project"],
    ["render", "package", "schema", "changes", "published", "skeleton", "impact"],
    ["redline", "imported", "checking", "pagetext"],
    ["pipeline", "comparison"],
    ["verification", "preview", "proof"],
    ["checker"],
    ["commands"],
    [
        f"commands.{name}"
        for name in (
            "build", "check", "schema", "listing", "uses", "new", "diff", "importing", "verify", "serve"
        )
    ],
    ["cli"],
    ["start"],
    ["__main__"],
]  # fmt: skip
RANK = {module: rank for rank, modules in enumerate(LAYERS) for module in modules}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts) or "jdgen"


def imports_of(path: Path) -> set[str]:
    """The package's own modules that `path` imports (relative imports, resolved)."""
    name = module_name(path)
    package = name.split(".") if path.name == "__init__.py" and name != "jdgen" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - (node.level - 1)]
            if node.module:
                found.add(".".join([*base, node.module]))
                continue
            for alias in node.names:
                candidate = [*base, alias.name]
                is_module = (PACKAGE.joinpath(*candidate).with_suffix(".py")).is_file() or (
                    PACKAGE.joinpath(*candidate) / "__init__.py"
                ).is_file()
                found.add(".".join(candidate) if is_module else ".".join(base) or "jdgen")
        elif isinstance(node, ast.Import | ast.ImportFrom) and not getattr(node, "level", 0):
            names = [node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            found |= {n.removeprefix("jdgen.") for n in names if n and n.startswith("jdgen.")}
    return {name or "jdgen" for name in found}


def it_places_every_module_in_a_layer():
    modules = {module_name(path) for path in PACKAGE.rglob("*.py")}
    assert modules == set(RANK), f"not in LAYERS: {modules - set(RANK)}; gone: {set(RANK) - modules}"


def it_imports_only_from_lower_layers():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = module_name(path)
        for target in imports_of(path):
            if RANK[target] >= RANK[name]:
                wrong.append(f"{name} (layer {RANK[name]}) imports {target} (layer {RANK[target]})")
    assert wrong == []


def it_draws_the_same_layers_in_the_readme():
    readme = (REPO / "README.md").read_text("utf-8")
    drawing = readme[readme.index("- **Layers.**") :]
    drawing = drawing[: drawing.index("```", drawing.index("```") + 3)]
    for module in RANK:
        shown = module.removeprefix("commands.") if module.startswith("commands.") else module
        if module != "jdgen":
            assert shown in drawing.split() or f"{shown}," in drawing, module
