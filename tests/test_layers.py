"""The package's map as the design notes (docs/design.md) draw it: packages by concern, each
importing only from the packages under it, and within a package each module only from the modules
under it.

A module may import from a lower package, or from a lower layer of its own package; a module that
is not in `MODULES` (nor in the design notes' drawing) fails the test, so the drawing stays the truth.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "src/jdgen"
# The packages, bottom first ("jdgen" is the root's own modules: what every package may use).
PACKAGES = [
    ["jdgen"],
    ["format"],
    ["document", "pdf"],
    ["project"],
    ["authoring"],
    ["signing", "preview"],
    ["cli"],
]
# Each package's modules in layers, bottom first, as docs/design.md draws them (there top first).
MODULES = {
    "jdgen": [["i18n"], ["jdgen", "errors"], ["zipsafe"], ["output", "progress"]],
    "format": [
        ["fieldparts", "inflection"],
        ["agency"],
        ["model", "yamltext", "yamlsafe"],
        ["located", "folders", "references", "assembled"],
        ["load"],
        ["modelerrors", "review", "pasted"],
        ["extras"],
        ["schema"],
    ],
    "document": [
        ["number", "wordpackage", "templatetext", "templatelimits", "wordings"],
        ["sandbox"],
        ["render_stream"],
        ["layout", "view"],
        ["render"],
    ],
    "pdf": [["guard"], ["office"], ["signed"], ["package"]],
    "project": [
        ["gitrepo", "forks", "memo"],
        ["freshness"],
        ["files"],
        ["assembly", "reviewing", "impact"],
        ["checking"],
        ["pipeline"],
    ],
    "authoring": [
        ["textdiff", "reference"],
        ["approval", "sourcetext"],
        ["citations"],
        ["annextext", "phrases"],
        ["changes", "published", "skeleton"],
        ["redline", "imported"],
        ["comparison"],
        ["proof"],
    ],
    "signing": [["pdfupdates"], ["signatures"], ["verification"]],
    "preview": [["sourcelinks", "localhost", "watching"], ["pagetext"], ["state"], ["checker"]],
    "cli": [
        ["commands"],
        [
            f"commands.{name}"
            for name in (
                "build", "check", "schema", "listing", "uses", "new", "diff", "importing", "verify", "serve"
            )
        ],
        ["arguments"],
        ["main"],
        ["start"],
    ],
}  # fmt: skip
PACKAGE_RANK = {package: rank for rank, packages in enumerate(PACKAGES) for package in packages}


def _qualified(package: str, module: str) -> str:
    return module if package == "jdgen" else f"{package}.{module}" if module != package else package


RANK = {  # (the package's rank, the module's rank within it); `python -m jdgen` is the very top
    **{
        _qualified(package, module): (PACKAGE_RANK[package], rank)
        for package, layers in MODULES.items()
        for rank, modules in enumerate(layers)
        for module in modules
    },
    **{package: (PACKAGE_RANK[package], -1) for package in MODULES if package != "jdgen"},  # __init__
    "__main__": (len(PACKAGES), 0),
}


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


def it_places_every_module_in_a_package_and_a_layer():
    modules = {module_name(path) for path in PACKAGE.rglob("*.py")}
    assert modules == set(RANK), f"not in MODULES: {modules - set(RANK)}; gone: {set(RANK) - modules}"
    packages = {path.parent.name for path in PACKAGE.glob("*/__init__.py")}
    assert packages == set(MODULES) - {"jdgen"}


def it_imports_only_from_lower_packages_and_lower_layers_of_its_own():
    """Between packages, only down (so a package and what it may use are one line of the drawing);
    within a package, only from a lower layer; a package's __init__ imports nothing of its own."""
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = module_name(path)
        for target in imports_of(path):
            (package, layer), (to_package, to_layer) = RANK[name], RANK[target]
            if to_package > package or (to_package == package and to_layer >= layer):
                wrong.append(f"{name} {RANK[name]} imports {target} {RANK[target]}")
    assert wrong == []


def it_says_in_each_package_what_it_is_and_what_it_may_import():
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text("utf-8")))
        assert doc and "import" in doc.lower(), init


def it_draws_the_same_map_in_the_design_notes():
    readme = (REPO / "docs" / "design.md").read_text("utf-8")
    drawing = readme[readme.index("- **Layers.**") :]
    drawing = drawing[: drawing.index("```", drawing.index("```") + 3)]
    words = {word.strip(",/") for word in drawing.split()}
    for package, layers in MODULES.items():
        assert package == "jdgen" or f"{package}/" in drawing.split(), package
        for module in (module for layer in layers for module in layer):
            if module != "jdgen":
                assert module.removeprefix("commands.") in words, module
