"""The press guard: a print PDF or cover that declares PDF/X, and a black-ink interior, are read
back before they are written.

prepress.py converts what WeasyPrint draws in flat colours and pictures; what it cannot convert (a
gradient, a colour space a stylesheet loads) would leave RGB in a file that says it has none, which
a print shop's preflight rejects. The guard finds every RGB use, names its page, and stops the build.
A black-ink interior (book.toml [output] interior = "black") prints on the black plate alone: a
colour with cyan, magenta or yellow ink in it (a stylesheet's device-cmyk(0 1 0 0), a CMYK picture)
would be a second plate the job does not have, so the guard stops the build there too.
"""

from __future__ import annotations

import io

import pikepdf

from ..errors import CheckError
from ..printing import PDFX_VARIANTS, press_variant
from ..typeset.prepress import drawings, drawn
from . import Subject

RGB_OPERATORS = {"rg": "an RGB fill colour", "RG": "an RGB stroke colour"}
SPACE_OPERATORS = ("cs", "CS")
CMYK_OPERATORS = {"k": "fill", "K": "stroke"}
# a colour in the current colour space, fill or stroke -> the operator that set that space
COLOUR_IN_SPACE = {"sc": "cs", "scn": "cs", "SC": "CS", "SCN": "CS"}
DEVICE_COMPONENTS = {"/DeviceGray": 1, "/DeviceRGB": 3, "/DeviceCMYK": 4}
BLACK_INK = "black"  # book.toml [output] interior: the interior prints on the black plate alone
INTERIOR = "print"  # the format whose ink [output] interior gives (the cover is always CMYK)


def components(space, resources) -> int:
    """The colour components of ``space`` (a device space, an ICC profile, or a resource name for
    either): 1 grey, 3 RGB, 4 CMYK; 0 for anything else."""
    if isinstance(space, pikepdf.Name) and resources is not None and space in resources.get("/ColorSpace", {}):
        space = resources.ColorSpace[space]
    if isinstance(space, pikepdf.Array) and len(space) == 2 and space[0] == "/ICCBased":
        return int(space[1].get("/N", 0))
    return DEVICE_COMPONENTS.get(str(space), 0) if isinstance(space, pikepdf.Name) else 0


def is_rgb(space, resources) -> bool:
    """DeviceRGB, an ICC profile of three components, or a resource name for either."""
    return components(space, resources) == 3


def rgb_uses(pdf: pikepdf.Pdf) -> list[tuple[int, str]]:
    """(page number, what) for every RGB colour, colour space, gradient or picture the pages draw."""
    found = [(number, "an RGB transparency group") for number, page in enumerate(pdf.pages, 1)
             if is_rgb(page.obj.get("/Group", {}).get("/CS"), None)]
    for number, _, resources, instructions in drawings(pdf):
        found += [(number, what) for what in instructions_rgb(instructions, resources)]
        for thing in drawn(instructions, resources):
            if thing.get("/Subtype") == "/Image" and is_rgb(thing.get("/ColorSpace"), resources):
                found.append((number, "an RGB picture"))
            elif is_rgb(thing.get("/Shading", thing).get("/ColorSpace"), resources):
                found.append((number, "an RGB gradient"))
    return found


def instructions_rgb(instructions, resources) -> list[str]:
    found = []
    for operands, operator in instructions:
        name = str(operator)
        if name in RGB_OPERATORS:
            found.append(RGB_OPERATORS[name])
        elif name in SPACE_OPERATORS and is_rgb(operands[0], resources):
            found.append(f"the RGB colour space {operands[0]}")
    return found


def transparency(pdf: pikepdf.Pdf) -> list[tuple[int, str]]:
    """(page number, what) for each soft mask or constant alpha below 1 a page draws with."""
    found = []
    for number, _, resources, instructions in drawings(pdf):
        for operands, operator in instructions:
            state = resources.get("/ExtGState", {}).get(operands[0]) if str(operator) == "gs" else None
            if state is not None and (state.get("/SMask", "/None") != "/None"
                                      or min(float(state.get(k, 1)) for k in ("/CA", "/ca")) < 1):
                found.append((number, "transparency (opacity), which PDF/X-1a forbids"))
        found += [(number, "a picture with transparency, which PDF/X-1a forbids")
                  for thing in drawn(instructions, resources) if "/SMask" in thing]
    return found


def colour_inks(pdf: pikepdf.Pdf) -> list[tuple[int, str]]:
    """(page number, what) for each colour, picture or gradient the pages draw with cyan, magenta or
    yellow ink: a CMYK colour whose C, M or Y is above 0, any CMYK picture or gradient."""
    found = []
    for number, _, resources, instructions in drawings(pdf):
        spaces = {"cs": None, "CS": None}  # the current fill and stroke colour spaces
        for operands, operator in instructions:
            name = str(operator)
            if name in spaces:
                spaces[name] = operands[0]
            elif name in CMYK_OPERATORS or name in COLOUR_IN_SPACE and components(spaces[COLOUR_IN_SPACE[name]],
                                                                                  resources) == 4:
                values = [float(v) for v in operands[:4]]
                if any(v > 0 for v in values[:3]):
                    kind = CMYK_OPERATORS.get(name) or ("fill" if COLOUR_IN_SPACE[name] == "cs" else "stroke")
                    found.append((number, f"the CMYK {kind} colour {' '.join(f'{v:g}' for v in values)}"))
        for thing in drawn(instructions, resources):
            if thing.get("/Subtype") == "/Image" and components(thing.get("/ColorSpace"), resources) == 4:
                found.append((number, "a CMYK picture"))
            elif thing.get("/Subtype") != "/Image" and components(thing.get("/Shading", thing).get("/ColorSpace"),
                                                                  resources) == 4:
                found.append((number, "a CMYK gradient"))
    return found


def output_intent(pdf: pikepdf.Pdf):
    """The /GTS_PDFX output intent's profile stream, or None."""
    intents = [i for i in pdf.Root.get("/OutputIntents", []) if i.get("/S") == "/GTS_PDFX"]
    return intents[0].get("/DestOutputProfile") if intents else None


def check_press(subject: Subject) -> None:
    """A PDF/X file has a CMYK output intent and no RGB, a black-ink interior no colour ink; else the
    build stops, naming the pages."""
    if subject.format.name == INTERIOR and subject.book.settings.interior == BLACK_INK:
        check_black_ink(subject)
    variant = press_variant(subject.book.settings.pdf_variant)
    if variant not in PDFX_VARIANTS:
        return
    with pikepdf.open(io.BytesIO(subject.data)) as pdf:
        profile = output_intent(pdf)
        uses = rgb_uses(pdf) + (transparency(pdf) if variant == "pdf/x-1a" else [])
        if profile is None or int(profile.get("/N", 0)) != 4:
            uses.insert(0, (1, "no CMYK output intent"))
    if uses:
        listed = "; ".join(f"page {page}: {what}" for page, what in dict.fromkeys(uses))
        raise CheckError(None, f"the {subject.format.name} PDF is not {PDFX_VARIANTS[variant]} ({listed[:400]})",
                         "give the stylesheet flat colours instead of gradients or loaded colour profiles (and, "
                         "for PDF/X-1a, no transparency: or use pdf/x-4), or set pdf_variant to a PDF/A variant", code="pdfx-colour")


def check_black_ink(subject: Subject) -> None:
    with pikepdf.open(io.BytesIO(subject.data)) as pdf:
        uses = colour_inks(pdf)
    if uses:
        listed = "; ".join(f"page {page}: {what}" for page, what in dict.fromkeys(uses))
        raise CheckError(None, f"the {subject.format.name} PDF is for black ink only ([output] interior = \"black\") "
                         f"but draws with colour ink ({listed[:400]})",
                         "give the stylesheet black and greys (device-cmyk(0 0 0 k), or any RGB colour: the build "
                         "prints it in grey) and greyscale pictures, or set interior = \"cmyk\" for a colour "
                         "interior", code="black-ink-colour")
