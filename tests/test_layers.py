"""Views, API handlers and template tags make no ORM calls of their own: reads go through a
selector (which asks the policy), so a view can never widen what the policy returned. A
prefetch in a view once counted closed-session agenda items for everyone."""

from __future__ import annotations

import re
from pathlib import Path

import cicnet

ROOT = Path(cicnet.__file__).parent
HTTP_LAYER = sorted(
    [
        *ROOT.glob("*/views.py"),
        *ROOT.glob("*/*_views.py"),  # views split by area (coordination/jit_views.py …)
        *ROOT.glob("*/api.py"),
        *ROOT.glob("*/templatetags/*.py"),
        ROOT / "config" / "api.py",
    ]
)
ORM = re.compile(r"\.objects\.|\.prefetch_related\(|\.select_related\(|\.annotate\(|\.aggregate\(")


def test_the_http_layer_makes_no_orm_calls() -> None:
    assert len(HTTP_LAYER) >= 10, HTTP_LAYER  # the glob found the modules
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in HTTP_LAYER
        for n, line in enumerate(path.read_text("utf-8").splitlines(), start=1)
        if ORM.search(line)
    ]
    assert found == [], "move these reads into a selector:\n" + "\n".join(found)


def test_the_policy_is_split_by_domain_and_typed_with_model_types() -> None:
    """Issue 11: one 560-line module typed with ``Any`` for every model; the security-critical
    code is what mypy must check best."""
    import ast

    package = Path(__file__).resolve().parent.parent / "src" / "cicnet" / "access" / "policy"
    modules = {p.stem for p in package.glob("*.py")}
    assert {"actors", "decisions", "networks", "cooperation"} <= modules
    for path in package.glob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                annotations = [a.annotation for a in node.args.args + node.args.kwonlyargs]
                for annotation in [*annotations, node.returns]:
                    if annotation is not None:
                        assert "Any" not in ast.unparse(annotation), f"{path.name}: {node.name}"
