"""Coverage-guided fuzzing of parse() with atheris: see fuzz/README.md."""

from __future__ import annotations

import sys

import atheris  # type: ignore[import-not-found]

with atheris.instrument_imports():
    import mixfilter


def test_one_input(data: bytes) -> None:
    text = data.decode("utf-8", "replace")
    try:
        f = mixfilter.parse(text)
    except mixfilter.FilterError:
        return
    # Whatever parses must print and parse back, and its JSON validate, to the same filter.
    assert mixfilter.parse(mixfilter.to_text(f)) == f
    assert mixfilter.validate(f.to_json()) == f


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
