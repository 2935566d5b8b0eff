"""Coverage-guided fuzzing of validate() with atheris: see fuzz/README.md."""

from __future__ import annotations

import sys

import atheris  # type: ignore[import-not-found]

with atheris.instrument_imports():
    import mixfilter


def test_one_input(data: bytes) -> None:
    try:
        f = mixfilter.validate(data)
    except mixfilter.FilterError:
        return
    assert mixfilter.validate(f.to_json()) == f
    assert mixfilter.parse(mixfilter.to_text(f)) == f


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
