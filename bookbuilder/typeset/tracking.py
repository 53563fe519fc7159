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
import copy
from xml.etree import ElementTree

from ..scripts import on_grid
from .rendering import render
from .weasy import LineBox, TextBox

LOOSE_PX = 3.0  # CSS px (0.75 pt)
LOOSER = "letter-spacing: 0.01em"  # 1 % of the type size
TRACKINGS = (LOOSER, "letter-spacing: -0.01em", "letter-spacing: 0.02em", "letter-spacing: -0.02em")


def tracked(source, document):
    """``document`` laid out again with each loose paragraph in the tracking of TRACKINGS that sets
    it tightest, or its own setting where none makes it tighter. The trackings are tried on a probe
    (hidden()): the same document with everything but the loose paragraphs hidden, so a try lays
    out those paragraphs alone, not the whole piece. All of them are tried in one layout, on clones
    of each paragraph beside it (cloned()); a paragraph whose clones the probe does not set as the
    whole document sets it is tried in place instead, one layout per tracking (in_place())."""
    loose = {e: stretch for e, stretch in widest_stretch(document).items() if stretch > LOOSE_PX}
    if not loose:
        return document
    own = {element: element.get("style") for element in loose}
    best = dict.fromkeys(loose)  # element -> the tracking that set it tightest (None: its own)
    widest = dict(loose)
    tried = cloned(source, loose, own)
    rest = {element: stretch for element, stretch in loose.items() if element not in tried}
    for element, stretches in [*tried.items(), *in_place(source, rest, own).items()]:
        for tracking, stretch in stretches:
            if stretch < widest[element]:
                best[element], widest[element] = tracking, stretch
    for element, tracking in best.items():
        if tracking:
            element.set("style", f"{own[element] or ''}; {tracking}")
        elif own[element] is None:
            element.attrib.pop("style", None)
        else:
            element.set("style", own[element])
    return render(source, "tracking")


def cloned(source, loose: dict, own: dict) -> dict:
    """Element -> [(tracking, widest space)] for each loose paragraph whose clones the probe sets as
    the whole document sets it: one layout of the probe with, after each paragraph, a clone of it as
    it is (the check: its widest space must be the paragraph's) and one per tracking, each after a
    hidden stand-in for the element before the paragraph. The clones' ids go (an id is the
    document's once)."""
    parents = {child: parent for parent in source.etree_element.iter() for child in parent}
    clones, added = {}, []
    for element in loose:
        parent = parents[element]
        at = list(parent).index(element)
        before = parent[at - 1] if at else None
        for tracking in (None, *TRACKINGS):
            clone = copy.deepcopy(element)
            for part in clone.iter():
                part.attrib.pop("id", None)
            clone.set("style", f"{own[element] or ''}; {tracking}" if tracking else own[element] or "")
            # after a hidden stand-in for the element before the paragraph: 'figure + p' matches alike
            stand_in = None if before is None else ElementTree.Element(before.tag, {
                **{k: v for k, v in before.attrib.items() if k != "id"}, "style": "display: none !important"})
            for part in (stand_in, clone) if stand_in is not None else (clone,):
                at += 1
                parent.insert(at, part)
                added.append((parent, part))
            clones[clone] = (element, tracking)
    try:
        with hidden(source, loose, {part for _, part in added}):
            stretches = widest_stretch(render(source, "tracking probe"))
    finally:
        for parent, part in added:
            parent.remove(part)
    tried: dict = {}
    for clone, (element, tracking) in clones.items():
        tried.setdefault(element, []).append((tracking, stretches.get(clone)))
    return {element: [(tracking, stretch) for tracking, stretch in found if tracking]
            for element, found in tried.items()
            if stretches.get(element) == loose[element] and found[0][1] == loose[element]
            and all(stretch is not None for _, stretch in found)}


def in_place(source, loose: dict, own: dict) -> dict:
    """Element -> [(tracking, widest space)], each tracking tried on every paragraph of ``loose`` in
    its place: on the probe, once a layout of it sets them as the whole document does (faithful()),
    else on the whole document."""
    if not loose:
        return {}
    tried: dict = {element: [] for element in loose}
    with hidden(source, loose) as probe:
        why = "tracking probe" if probe and faithful(widest_stretch(render(source, "tracking probe")), loose) \
            else "tracking"
        if why == "tracking":
            restore(probe)
        for tracking in TRACKINGS:
            for element in loose:  # elements of source's tree: the next render sees the change
                element.set("style", f"{own[element] or ''}; {tracking}")
            for element, stretch in widest_stretch(render(source, why)).items():
                if element in loose:
                    tried[element].append((tracking, stretch))
    return tried


@contextlib.contextmanager
def hidden(source, loose: dict, shown: dict | None = None):
    """Within it, ``source`` lays out only the ``loose`` paragraphs (and ``shown``, clones of them):
    every other element of the body beside them or their ancestors is hidden (display: none keeps
    the tree, so every selector matches as before; a paragraph's line breaks depend on its own
    style, text and measure). Yields the hidden elements' own styles (restore() shows them again)."""
    parents = {child: parent for parent in source.etree_element.iter() for child in parent}
    kept = set(shown or ())
    for element in loose:
        while element is not None and element not in kept:
            kept.add(element)
            element = parents.get(element)
    body = next((e for e in source.etree_element.iter() if isinstance(e.tag, str) and e.tag.endswith("body")), None)
    inside = set(body.iter()) if body is not None else set()
    hidden = [child for parent in kept - loose.keys() - set(shown or ()) if parent in inside
              for child in parent if child not in kept and isinstance(child.tag, str)]
    styles = {element: element.get("style") for element in hidden}
    for element in hidden:
        element.set("style", f"{styles[element] or ''}; display: none !important")
    try:
        yield styles
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
    """Element -> the most any of its justified lines stretched a word space, in CSS px. A Chinese or
    Japanese paragraph is left as it is: it is justified by the space between its characters
    (grid.py), which another tracking would undo."""
    widest: dict = {}
    for page in document.pages:
        for line in page._page_box.descendants():  # WeasyPrint has no public API for line boxes
            if isinstance(line, LineBox) and line.element is not None and not on_grid(line.style["lang"] or ""):
                stretch = max((box.justification_spacing for box in line.descendants() if isinstance(box, TextBox)),
                              default=0)
                widest[line.element] = max(widest.get(line.element, 0), stretch)
    return widest
