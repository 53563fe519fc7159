"""PDF/X for the print shop: every colour in the output intent's CMYK, and the intent declared.

WeasyPrint 70 writes the PDF/X metadata (GTS_PDFXVersion in the XMP, Trapped) but leaves CSS colours
as RGB operators and pictures as DeviceRGB, which a PDF/X file with a CMYK output intent may not
contain, and declares no output intent unless a stylesheet loads a profile. This module, run by
finish.py on the written PDF, converts what WeasyPrint drew: for a black-ink interior every colour
and picture becomes a grey (DeviceGray prints on the black plate); for the cover, colours go
through the profile into CMYK (neutral greys on black alone, so the barcode and black text are
not four-colour), and pictures too. It then embeds the profile as the /GTS_PDFX output intent.

The profile, styles/color/FOGRA39L-bookbuilder.icc, was made from Fogra's FOGRA39L measurement
data (offset on coated paper, ISO 12647-2) as Debian's icc-profiles-free ships it under the Zlib
licence; styles/color/README.md says how, and a book folder may replace it (same relative path)
with the profile its printer asks for.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import pikepdf
from PIL import Image, ImageCms

from ..printing import PDFX_VARIANTS

PROFILE = "styles/color/FOGRA39L-bookbuilder.icc"
COLOUR_OPERATORS = {"rg": "k", "RG": "K"}  # RGB fill and stroke -> their CMYK operators
DRAWING_OPERATORS = {"Do": "/XObject", "scn": "/Pattern", "SCN": "/Pattern", "sh": "/Shading"}  # -> resource kind
DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-f-]{36}")  # WeasyPrint writes a random uuid4 here
JPEG_QUALITY = 92  # a re-encoded greyscale photograph


@dataclass(frozen=True)
class Press:
    """How a PDF goes to press: its PDF/X variant, the output intent's profile, and its inks."""

    variant: str  # a key of PDFX_VARIANTS
    profile: bytes  # an ICC output profile of CMYK
    ink: str  # one of INKS

    @property
    def description(self) -> str:
        return ImageCms.getProfileDescription(self._profile()).strip()

    def _profile(self):
        return ImageCms.ImageCmsProfile(io.BytesIO(self.profile))

    @functools.cached_property
    def transform(self):
        """sRGB -> the profile's CMYK, relative colorimetric with black-point compensation."""
        return ImageCms.buildTransform(ImageCms.createProfile("sRGB"), self._profile(), "RGB", "CMYK",
                                       ImageCms.Intent.RELATIVE_COLORIMETRIC, flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)

    def colour(self, red: float, green: float, blue: float) -> list[float]:
        """An RGB colour (0-1 each) as C, M, Y, K (0-1 each)."""
        if self.ink == "black" or red == green == blue:
            return [0.0, 0.0, 0.0, round(1 - luma(red, green, blue), 4)]
        return list(self._cmyk(tuple(round(v * 255) for v in (red, green, blue))))

    @functools.lru_cache(maxsize=None)  # one Press per PDF, a few colours each
    def _cmyk(self, rgb: tuple[int, int, int]) -> tuple[float, ...]:
        pixel = ImageCms.applyTransform(Image.new("RGB", (1, 1), rgb), self.transform).getpixel((0, 0))
        return tuple(round(v / 255, 4) for v in pixel)

    def picture(self, picture: Image.Image) -> Image.Image:
        """An RGB picture in the press's inks: greyscale ('L') or the profile's CMYK."""
        return picture.convert("L") if self.ink == "black" else ImageCms.applyTransform(picture, self.transform)


def luma(red: float, green: float, blue: float) -> float:
    """ITU-R 601 luma, the weights Pillow's convert('L') uses: text and pictures grey alike."""
    return 0.299 * red + 0.587 * green + 0.114 * blue


def to_pdfx(pdf: pikepdf.Pdf, press: Press) -> None:
    """Convert ``pdf`` in place to the press's colours and declare its output intent."""
    for _, stream, resources, instructions in drawings(pdf):
        convert_stream(stream, instructions, press)
        convert_group(stream)
        for image in pictures(instructions, resources):
            convert_image(image, press)
    for page in pdf.pages:
        convert_group(page.obj)
        drop(page.obj, "/Annots")  # PDF/X allows no links or other annotations on the sheet
    intent = pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX, OutputConditionIdentifier=press.description,
        Info=press.description, RegistryName="http://www.color.org",
        DestOutputProfile=pdf.make_stream(press.profile, N=4))
    pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(intent)])
    pdf.docinfo["/GTS_PDFXVersion"] = PDFX_VARIANTS[press.variant]
    stable_document_id(pdf)


def drawings(pdf: pikepdf.Pdf) -> Iterator[tuple[int, pikepdf.Stream, pikepdf.Dictionary, list]]:
    """(page number, content stream, its resources, its instructions) for each page and each form
    and tiling pattern it draws: WeasyPrint draws gradients, opacity and SVG in forms and patterns,
    and all pages share one resource dictionary, so only what a stream names is followed."""
    for number, page in enumerate(pdf.pages, 1):
        page.contents_coalesce()
        seen: set = set()
        todo = [(page.obj.Contents, page.obj.get("/Resources", pikepdf.Dictionary()))]
        while todo:
            stream, resources = todo.pop()
            instructions = pikepdf.parse_content_stream(stream)
            yield number, stream, resources, instructions
            for child in drawn(instructions, resources):
                if child.objgen not in seen and (child.get("/Subtype") == "/Form" or child.get("/PatternType") == 1):
                    seen.add(child.objgen)
                    todo.append((child, child.get("/Resources", resources)))


def drawn(instructions, resources) -> Iterator[pikepdf.Object]:
    """The XObjects (Do), patterns (scn) and shadings (sh) that ``instructions`` paint."""
    for operands, operator in instructions:
        kind = DRAWING_OPERATORS.get(str(operator))
        if kind and operands and isinstance(operands[-1], pikepdf.Name) and operands[-1] in resources.get(kind, {}):
            yield resources[kind][operands[-1]]


def pictures(instructions, resources) -> list[pikepdf.Stream]:
    return [x for x in drawn(instructions, resources) if x.get("/Subtype") == "/Image"]


def convert_stream(stream: pikepdf.Stream, instructions: list, press: Press) -> None:
    """Rewrite a content stream's RGB colour operators as CMYK ones."""
    converted = []
    for operands, operator in instructions:
        name = str(operator)
        if name in COLOUR_OPERATORS:
            operands = press.colour(*(float(v) for v in operands))
            operator = pikepdf.Operator(COLOUR_OPERATORS[name])
        converted.append((operands, operator))
    stream.write(pikepdf.unparse_content_stream(converted))


def convert_group(holder) -> None:
    """A transparency group blends in the output's space, not RGB."""
    group = holder.get("/Group")
    if group is not None and group.get("/CS") == "/DeviceRGB":
        group.CS = pikepdf.Name.DeviceCMYK


def convert_image(image: pikepdf.Stream, press: Press) -> None:
    """A DeviceRGB picture in the press's inks; a JPEG stays a JPEG (greyscale), others Flate. A
    picture two pages share is converted once: after that it is no longer RGB."""
    if image.get("/ColorSpace") != "/DeviceRGB":
        return
    picture = press.picture(pikepdf.PdfImage(image).as_pil_image().convert("RGB"))
    if image.get("/Filter") == "/DCTDecode" and picture.mode == "L":
        out = io.BytesIO()
        picture.save(out, "JPEG", quality=JPEG_QUALITY)
        image.write(out.getvalue(), filter=pikepdf.Name.DCTDecode)
    else:
        image.write(zlib.compress(picture.tobytes()), filter=pikepdf.Name.FlateDecode)
    image.ColorSpace = pikepdf.Name.DeviceGray if picture.mode == "L" else pikepdf.Name.DeviceCMYK
    drop(image, "/DecodeParms")
    drop(image, "/Decode")


def drop(dictionary, key: str) -> None:
    if key in dictionary:
        del dictionary[key]


def stable_document_id(pdf: pikepdf.Pdf) -> None:
    """The XMP DocumentID from the content, not WeasyPrint's random one: same input, same bytes."""
    metadata = pdf.Root.get("/Metadata")
    if metadata is None:
        return
    xmp = metadata.read_bytes()
    content = hashlib.sha256(DOCUMENT_ID.sub(b"", xmp))
    for page in pdf.pages:
        content.update(page.obj.Contents.read_bytes())
    did = uuid.UUID(bytes=content.digest()[:16], version=4)
    metadata.write(DOCUMENT_ID.sub(f"xmp.did:{did}".encode(), xmp))
    drop(pdf.trailer, "/ID")  # WeasyPrint's was made from the random one; finish.py's save makes /ID anew
