"""The README's set-up is what CI does: the same Debian packages, the same two lines."""

from __future__ import annotations

import re

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
TWO_LINES = ["pip install -e . && make-book", "pip install -e '.[test]' && pytest"]


def prerequisites() -> str:
    return README.split("\n    ", 1)[0]  # the text above the first command


def ci_packages() -> list[str]:
    return [p for name in ("build_packages", "test_packages")
            for p in re.search(rf'^{name}="([^"]*)"', CI, re.M).group(1).split()]


def test_readme_opens_with_exactly_the_two_lines():
    commands = re.findall(r"^    (\S.*)$", README.split("\n## ", 1)[0], re.M)
    assert commands == TWO_LINES


def test_ci_installs_the_packages_the_readme_lists():
    spans = [span.split() for span in re.findall(r"`([^`]+)`", prerequisites())]
    listed = {name for names in spans if all(re.fullmatch(r"[a-z0-9][a-z0-9.+-]+", n) for n in names)
              for name in names}
    assert ci_packages() and set(ci_packages()) == listed - {"python3-venv"}


def test_ci_runs_the_readme_test_line():
    assert CI.rstrip().splitlines()[-1] == TWO_LINES[1]
