"""The web edition's validator: axe-core, the engine Ace by DAISY runs on an EPUB's documents, on
every page of the site in headless Chromium, at a phone's width and a desktop's, in the light and
the dark theme (axe.js). It uses Ace's installation (checks/epub.py): its puppeteer and its build
of axe-core, so it needs nothing Ace does not."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from ..errors import CheckError
from . import Subject
from .epub import ACE_SEVERITY, ace_home

WIDTHS = (390, 1280)  # CSS pixels: a phone held upright, a laptop
SCRIPT = Path(__file__).with_name("axe.js")
TIMEOUT = 600  # seconds, for the whole site


def axe(subject: Subject) -> str:
    if not subject.ace:
        return "skipped (--no-ace)"
    modules = ace_home() / "node_modules"
    if node() is None or not (modules / "puppeteer").is_dir():
        return "not installed: skipped (Ace by DAISY's installation runs it; make-book doctor)"
    site = subject.path
    pages = sorted(p.name for p in site.glob("*.html"))
    env = {"PATH": "/usr/bin:/bin", "HOME": str(Path.home())}
    if chromium := shutil.which("chromium"):
        env["PUPPETEER_EXECUTABLE_PATH"] = chromium
    run = subprocess.run([node(), str(SCRIPT), str(modules), str(site.resolve()), ",".join(map(str, WIDTHS)), *pages],
                         env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    if run.returncode != 0:
        raise CheckError(site, f"axe-core could not run ({run.stderr.strip().splitlines()[-1:] or run.returncode})",
                         "run 'make-book doctor' to see whether Chromium and Ace are installed", code="axe-failed")
    violations = json.loads(run.stdout)
    for v in violations:
        subject.notices.add(ACE_SEVERITY.get(v["impact"], "error"), f"{site}/{v['page']} ({v['width']} px, {v['scheme']})",
                            f"{v['help']} ({v['id']}): {', '.join(v['targets'])}",
                            "see axe-core's rule " + v["id"], f"axe-{v['id']}")
    return f"{len(pages)} pages at {' and '.join(f'{w} px' for w in WIDTHS)}, light and dark: {len(violations)} violations"


def node() -> str | None:
    return shutil.which("node")
