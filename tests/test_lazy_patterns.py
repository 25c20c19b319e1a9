"""The kinds' module-level patterns are compiled on first use (`kinds.base.lazy_regex`, a `cues.QuickPattern`), not
at import: matching imports every kind for its evaluator and runs none of their extractors. A lazy pattern answers as
`re.compile`'s, and pickles (a worker process may be sent one)."""

from __future__ import annotations

import pickle
import re
import subprocess
import sys

from matcher.eligibility.cues import QuickPattern
from matcher.eligibility.kinds.base import lazy_regex


def test_importing_the_kinds_compiles_none_of_their_patterns() -> None:
    code = (
        "import re._compiler as c, types\n"
        "seen = []\n"
        "original = c.compile\n"
        "c.compile = lambda p, flags=0: (seen.append(p), original(p, flags))[1]\n"
        "import importlib, pkgutil\n"
        "import matcher.eligibility.kinds as kinds\n"
        "names = [i.name for i in pkgutil.walk_packages(kinds.__path__, kinds.__name__ + '.')]\n"
        "modules = [importlib.import_module(name) for name in names]  # a kind's package too (kinds/therapy/)\n"
        "values = [v for m in modules for v in vars(m).values()]\n"
        "values += [x for v in values if isinstance(v, list) for x in v]\n"
        "lazy = {v.pattern for v in values if type(v).__name__ == 'QuickPattern'}\n"
        "print(len(lazy), len(lazy & set(seen)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    patterns, compiled = map(int, done.stdout.split())
    assert patterns > 50 and compiled == 0  # (the modules the kinds import compile their own patterns)


def test_a_lazy_pattern_answers_as_the_compiled_one() -> None:
    text = "ECOG performance status 0-1; ecog 2 allowed. Age >= 18 years"
    source, flags = r"\becog\s*(?:performance\s+status\s*)?(?P<n>\d)", re.IGNORECASE
    eager, lazy = re.compile(source, flags), lazy_regex(source, flags)
    assert isinstance(lazy, QuickPattern) and lazy.groupindex == eager.groupindex
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in eager.finditer(text)]
    assert lazy.findall(text) == eager.findall(text) and lazy.split(text) == eager.split(text)
    assert lazy.sub("X", text) == eager.sub("X", text) and lazy.sub("X", text, 1) == eager.sub("X", text, 1)
    assert lazy.findall("no score here") == [] and lazy.split("no score here") == ["no score here"]
    for method in ("search", "match", "fullmatch"):
        assert repr(getattr(lazy, method)(text, 0, 7)) == repr(getattr(eager, method)(text, 0, 7))
    compiled = lazy.regex
    assert lazy.search(text) is not None and lazy.regex is compiled  # compiled once, then reused


def test_a_pattern_pickles_used_or_not() -> None:
    text = "ECOG performance status 0-1"
    unused, used = lazy_regex(r"\becog\s*(?P<n>\d)?", re.IGNORECASE), lazy_regex(r"status\s*(?P<n>\d)")
    assert used.search(text) is not None  # compiled, with a groupindex (a mappingproxy, which does not pickle)
    for pattern in (unused, used):
        copy = pickle.loads(pickle.dumps(pattern))
        assert (copy.pattern, copy.flags) == (pattern.pattern, pattern.flags)
        assert repr(copy.search(text)) == repr(pattern.search(text))
