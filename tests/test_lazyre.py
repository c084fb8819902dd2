"""A lazily compiled pattern: compiled at its first use, and then the compiled pattern's own methods."""

import re

from wei_qual.lazyre import lazy_compile


def test_compiled_at_first_use_and_matches_as_re_compile():
    pattern, flags = r"(?P<n>\d+)[ \t]+(?:street|st\.?)", re.IGNORECASE
    lazy, eager = lazy_compile(pattern, flags), re.compile(pattern, flags)
    assert lazy.pattern == pattern  # read by the patterns built from it: no compiling
    assert lazy._compiled is None  # type: ignore[attr-defined]
    text = "He lived at 1400 Street, then 22 St. and 9 avenue."
    assert [m.span("n") for m in lazy.finditer(text)] == [m.span("n") for m in eager.finditer(text)]
    assert lazy.search(text, 20).group() == eager.search(text, 20).group()
    assert lazy.sub("#", text) == eager.sub("#", text)
    assert lazy.flags == eager.flags and lazy.groupindex == eager.groupindex
    # kept: a later call is the compiled pattern's own bound method
    assert lazy.search.__self__ is lazy._compiled  # type: ignore[attr-defined]


def test_every_lazy_pattern_of_the_package_compiles():
    """A pattern compiled lazily fails only when a text first needs it: compile them all here."""
    import importlib
    import pkgutil

    import wei_qual
    from wei_qual.lazyre import _LazyPattern

    found = 0
    for info in pkgutil.walk_packages(wei_qual.__path__, "wei_qual."):
        if info.name.endswith("__main__"):
            continue  # runs the command line
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            for p in value.values() if isinstance(value, dict) else [value]:
                if isinstance(p, _LazyPattern):
                    assert isinstance(re.compile(p.pattern, p._flags), re.Pattern), (
                        info.name,
                        p.pattern[:40],
                    )
                    found += 1
    assert found >= 100
