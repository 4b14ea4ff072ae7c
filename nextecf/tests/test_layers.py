"""The import-linter contracts in pyproject.toml cover every module: a module that is
neither domain nor web layer would escape the contract that keeps the domain below the web."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# App configs, tests, factories and migrations belong to no layer; accounts.request only
# types a request after the sign-on middleware (services still name it until they take an
# Actor).
UNLAYERED = re.compile(
    r"(\.tests(\..*)?|\.migrations(\..*)?|\.apps|\.factories|\.wsgi|\.accounts\.request)$"
)


def _contract(contract_id: str) -> dict[str, object]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if c["id"] == contract_id)


def _matches(module: str, expression: str) -> bool:
    """Whether the module is the expression's module or inside it (import-linter treats
    modules as packages); `*` stands for one name."""
    pattern = re.escape(expression).replace(r"\*", r"[^.]+")
    return re.fullmatch(rf"{pattern}(\..+)?", module) is not None


def _modules() -> list[str]:
    names = []
    for path in sorted((ROOT / "nextecf").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            continue
        names.append(".".join(parts))
    return names


def test_every_module_is_domain_or_web_layer() -> None:
    contract = _contract("domain-below-web")
    expressions = [*contract["source_modules"], *contract["forbidden_modules"]]
    unclassified = [
        module
        for module in _modules()
        if not UNLAYERED.search(module) and not any(_matches(module, e) for e in expressions)
    ]
    assert unclassified == []


def test_a_module_is_never_both() -> None:
    contract = _contract("domain-below-web")
    both = [
        module
        for module in _modules()
        if any(_matches(module, e) for e in contract["source_modules"])
        and any(_matches(module, e) for e in contract["forbidden_modules"])
        and not module.startswith("nextecf.lib.")
    ]
    assert both == []


def test_the_classification_sees_new_modules() -> None:
    assert _matches("nextecf.cases.views.reports", "nextecf.*.views")
    assert _matches("nextecf.filing.services", "nextecf.*.services")
    assert not _matches("nextecf.cases.viewsx", "nextecf.*.views")
    assert not _matches("nextecf.cases.docket", "nextecf.*.views")
