"""The tracking pass: a paragraph whose justified lines stretch a word space by more than LOOSE_PX
is set with the letter-spacing (of TRACKINGS) that sets it tightest.

WeasyPrint fills each line greedily and stretches only the word spaces of a justified line. A
paragraph with a space stretched by more than LOOSE_PX (2.25 pt, 0.2 em at 10.5 pt, so a space of
about 1.7 times its width) is set again with 1 % and 2 % of the type size more tracking and less
(what a compositor's letter-spacing range allows), which moves its breaks; it keeps the one that
sets its widest space narrowest, if any makes it narrower than its own.
"""

from __future__ import annotations

import contextlib

from .rendering import render
from .weasy import LineBox, TextBox

LOOSE_PX = 3.0  # CSS px (0.75 pt)
LOOSER = "letter-spacing: 0.01em"  # 1 % of the type size
TRACKINGS = (LOOSER, "letter-spacing: -0.01em", "letter-spacing: 0.02em", "letter-spacing: -0.02em")


def tracked(source, document):
    """``document`` laid out again with each loose paragraph in the tracking of TRACKINGS that sets
    it tightest, or its own setting where none makes it tighter. The trackings are tried on a probe
    (probe()): the same document with everything but the loose paragraphs hidden, so each try lays
    out those paragraphs alone, not the whole piece."""
    loose = {e: stretch for e, stretch in widest_stretch(document).items() if stretch > LOOSE_PX}
    if not loose:
        return document
    own = {element: element.get("style") for element in loose}
    best = dict.fromkeys(loose)  # element -> the tracking that set it tightest (None: its own)
    widest = dict(loose)
    with probe(source, loose) as why:
        for tracking in TRACKINGS:
            for element in loose:  # elements of source's tree: the next render sees the change
                element.set("style", f"{own[element] or ''}; {tracking}")
            for element, stretch in widest_stretch(render(source, why)).items():
                if element in loose and stretch < widest[element]:
                    best[element], widest[element] = tracking, stretch
    for element, tracking in best.items():
        if tracking:
            element.set("style", f"{own[element] or ''}; {tracking}")
        elif own[element] is None:
            del element.attrib["style"]
        else:
            element.set("style", own[element])
    return render(source, "tracking")


@contextlib.contextmanager
def probe(source, loose: dict):
    """Within it, ``source`` lays out only the ``loose`` paragraphs: every other element of the body
    beside them or their ancestors is hidden (display: none keeps the tree, so every selector matches
    as before; a paragraph's line breaks depend on its own style, text and measure). One layout of
    the probe with the paragraphs as they are checks that it sets each one as the whole document does
    (their widest spaces are equal); where it does not (a counter the hidden elements advanced, a
    book's own styles), the trackings are tried on the whole document. Yields the renders' reason."""
    parents = {child: parent for parent in source.etree_element.iter() for child in parent}
    kept = set()
    for element in loose:
        while element is not None and element not in kept:
            kept.add(element)
            element = parents.get(element)
    body = next((e for e in source.etree_element.iter() if isinstance(e.tag, str) and e.tag.endswith("body")), None)
    inside = set(body.iter()) if body is not None else set()
    hidden = [child for parent in kept - loose.keys() if parent in inside
              for child in parent if child not in kept and isinstance(child.tag, str)]
    styles = {element: element.get("style") for element in hidden}
    for element in hidden:
        element.set("style", f"{styles[element] or ''}; display: none !important")
    try:
        same = faithful(widest_stretch(render(source, "tracking probe")), loose)
        if not same:
            restore(styles)
        yield "tracking probe" if same else "tracking"
    finally:
        restore(styles)


def faithful(control: dict, loose: dict) -> bool:
    """Does the probe set each loose paragraph as the whole document does (the same widest space)?"""
    return all(control.get(element) == stretch for element, stretch in loose.items())


def restore(styles: dict) -> None:
    """Each element's style attribute as it was (None: it had none)."""
    for element, style in styles.items():
        if style is None:
            element.attrib.pop("style", None)
        else:
            element.set("style", style)


def widest_stretch(document) -> dict:
    """Element -> the most any of its justified lines stretched a word space, in CSS px."""
    widest: dict = {}
    for page in document.pages:
        for line in page._page_box.descendants():  # WeasyPrint has no public API for line boxes
            if isinstance(line, LineBox) and line.element is not None:
                stretch = max((box.justification_spacing for box in line.descendants() if isinstance(box, TextBox)),
                              default=0)
                widest[line.element] = max(widest.get(line.element, 0), stretch)
    return widest
