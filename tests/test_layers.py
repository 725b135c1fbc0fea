"""The package's folders are the stages of the pipeline, and imports only go down the stages."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "sitegen"

LAYERS = ("errors", "source", "markup", "model", "output", "render", "engine", "check", "serve", "create", "cli")
"""Lowest first: a module may import from its own layer and the ones before it, never after."""
FREE = ("__init__", "__main__")
"""The package's own entry points, above every layer."""
ONE_IMPORTER = {
    "yaml": "source/yamldoc.py",
    "markdown_it": "markup/markdown.py",
    "mdit_py_plugins": "markup/markdown.py",
    "pygments": "markup/markdown.py",
    "lxml": "markup/links.py",
    "jinja2": "render/templates.py",
    "feedgen": "render/feeds.py",
    "css_inline": "render/email.py",
    "markdownify": "create/linkedin.py",
    "bs4": "create/linkedin.py",
    "watchfiles": "serve/watch.py",
    "PIL": "render/pictures.py",
    "pagefind": "engine/search.py",
    "babel": "render/locale.py",
    "rcssmin": "render/minify.py",
    "rjsmin": "render/minify.py",
}
"""Each third-party library and the one module that imports it: an upgrade touches one file."""


def _imports(module: Path, package: Path) -> list[tuple[str, int]]:
    """(the imported module as a dotted path, line) of every import of `module`."""
    parts = list(module.relative_to(package).with_suffix("").parts)
    here = parts[:-1]  # the package the module is in
    found = []
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + 1]
                target = ".".join(["sitegen", *base, *([node.module] if node.module else [])])
                names = [target] if node.module else [f"{target}.{alias.name}" for alias in node.names]
            else:
                names = [node.module or ""]
            found += [(name, node.lineno) for name in names]
        elif isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
    return found


def _layer(dotted: str) -> str | None:
    """The layer of a module of sitegen (None for other modules)."""
    parts = dotted.split(".")
    if parts[0] != "sitegen":
        return None
    if len(parts) == 1 or parts[1] == "__version__":
        return "__init__"
    return parts[1]


def violations(package: Path) -> list[str]:
    """Every import that goes up the layers, or of a library outside its one importer."""
    found = []
    for module in sorted(package.rglob("*.py")):
        name = module.relative_to(package).as_posix()
        own = _layer("sitegen." + ".".join(module.relative_to(package).with_suffix("").parts))
        for target, line in _imports(module, package):
            layer = _layer(target)
            if layer is None:
                top = target.split(".")[0]
                if top in ONE_IMPORTER and ONE_IMPORTER[top] != name:
                    found.append(f"{name}:{line}: imports {top}, which only {ONE_IMPORTER[top]} may import")
                continue
            if own in FREE or layer == own:
                continue
            if target == "sitegen.__version__":
                continue  # the version, from the package itself
            if layer not in LAYERS or own not in LAYERS or LAYERS.index(layer) > LAYERS.index(own):
                found.append(f"{name}:{line}: {own} imports {target}, from a later stage ({layer})")
    return found


def test_every_module_belongs_to_a_layer() -> None:
    tops = {p.relative_to(PACKAGE).parts[0].removesuffix(".py") for p in PACKAGE.rglob("*.py")}
    assert tops <= set(LAYERS) | set(FREE)


def test_imports_only_go_down_the_stages() -> None:
    assert violations(PACKAGE) == []


def test_a_planted_import_up_the_stages_is_found(tmp_path: Path) -> None:
    copy = tmp_path / "sitegen"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "themes", "starter"))
    slugs = copy / "source" / "slugs.py"
    lines = slugs.read_text(encoding="utf-8").splitlines()
    lines.insert(5, "from ..engine.builder import Builder")
    slugs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    feeds = copy / "model" / "feedsets.py"
    feeds.write_text(feeds.read_text(encoding="utf-8") + "import jinja2\n", encoding="utf-8")
    assert violations(copy) == [
        "model/feedsets.py:84: imports jinja2, which only render/templates.py may import",
        "source/slugs.py:6: source imports sitegen.engine.builder, from a later stage (engine)",
    ]
