"""Issue 10, item 1: one home per criterion kind. Every kind is registered once; every value a kind's extractor can
produce is read by its evaluator, or declared display-only (`Values.DISPLAY_ONLY`), or read by the matcher itself
(`alternative`: limits joined by "or"); and the performance-status reading and evaluation live in one file."""

from __future__ import annotations

import ast
import inspect
from dataclasses import fields
from pathlib import Path
from types import ModuleType

import pytest

from matcher.eligibility.criteria import FactKind
from matcher.eligibility.kinds import KINDS
from matcher.eligibility.kinds.base import NoValues
from matcher.matching import evaluate as matcher_evaluate

READ_BY_THE_MATCHER = {"alternative"}  # matching.evaluate combines "or"-joined limits


def test_every_kind_has_exactly_one_home() -> None:
    assert set(KINDS) == set(FactKind)
    for kind, entry in KINDS.items():
        assert entry.kind is kind
        module = inspect.getmodule(entry.evaluate)
        assert module is not None and module.__name__.startswith("matcher.eligibility.kinds."), kind
        assert entry.values is NoValues or entry.values.__module__ == module.__name__, f"{kind}: values elsewhere"


def _read_attributes(module: ModuleType, function_name: str) -> set[str]:
    """Attribute names read in a function and in the module-level functions it calls, transitively."""
    tree = ast.parse(Path(module.__file__ or "").read_text(encoding="utf-8"))
    functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    seen, todo, read = set(), [function_name], set()
    while todo:
        name = todo.pop()
        if name in seen or name not in functions:
            continue
        seen.add(name)
        for node in ast.walk(functions[name]):
            if isinstance(node, ast.Attribute):
                read.add(node.attr)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                todo.append(node.func.id)
    return read


@pytest.mark.parametrize("kind", list(FactKind), ids=lambda k: k.value)
def test_every_value_is_read_by_the_evaluator_or_declared_display_only(kind: FactKind) -> None:
    entry = KINDS[kind]
    module = inspect.getmodule(entry.evaluate)
    assert module is not None
    read = _read_attributes(module, entry.evaluate.__name__)
    unread = {
        f.name for f in fields(entry.values)  # type: ignore[arg-type]
        if f.name not in read and f.name not in entry.values.DISPLAY_ONLY and f.name not in READ_BY_THE_MATCHER
    }  # fmt: skip
    assert not unread, f"{kind.value}: the evaluator never reads {sorted(unread)}"
    assert {f.name for f in fields(entry.values)} >= entry.values.DISPLAY_ONLY  # type: ignore[arg-type]


def test_the_matcher_reads_what_it_claims() -> None:
    source = inspect.getsource(matcher_evaluate)
    assert all(f'"{name}"' in source for name in READ_BY_THE_MATCHER)


def test_ecog_is_read_and_evaluated_in_one_file() -> None:
    entry = KINDS[FactKind.PERFORMANCE_STATUS]
    assert entry.extract is not None
    assert inspect.getsourcefile(entry.extract) == inspect.getsourcefile(entry.evaluate)
    assert Path(inspect.getsourcefile(entry.evaluate) or "").name == "performance.py"
