"""A Word manuscript made in the test run with python-docx (tests/authoring/test_docx_import.py): two
parts (a paragraph style 'Part'), chapters at Heading 1, emphasis, strong and small capitals, a
bulleted and a numbered list, a table, three pictures with alt text, two footnotes and an endnote
(python-docx writes neither: their parts are added to the package here), Word's curly quotes and
dashes, and a style the build has no counterpart for ('Intense Quote').

    python tests/docxbook.py FILE.docx [MORE_CHAPTERS]

With MORE_CHAPTERS, that many chapters of the test novel's text follow (tests/books/docx/ keeps one
such document, saved again by LibreOffice).
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Inches
from PIL import Image, ImageDraw

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NOTES = {"footnotes": ["Walton is bound for the North Pole.", "A second note, with ‘quotes’ inside."],
         "endnotes": ["The endnote: letters were slow in 1799."]}
ALTS = ["A ship locked in pack ice under a low sun", "A sledge drawn by dogs across the ice",
        "A map of the Arctic with the ship's course drawn in red"]


def picture(n: int) -> io.BytesIO:
    image = Image.new("RGB", (1500, 1000), (40 + 60 * n, 90, 140))
    ImageDraw.Draw(image).text((40, 40), f"Picture {n + 1}", fill="white")
    out = io.BytesIO()
    image.save(out, "PNG")
    out.seek(0)
    return out


NOVEL = Path(__file__).parent / "books" / "novel"
PLAIN = re.compile(r"^(---|title:|type:|:::|\[\^|\||#|>|\s*$)")


def novel_paragraphs() -> list[str]:
    """The test novel's paragraphs as plain text (no markup, no notes)."""
    found = []
    for path in sorted(NOVEL.glob("*.md")):
        for line in path.read_text(encoding="utf-8").split("\n"):
            if not PLAIN.match(line):
                found.append(re.sub(r"\[\^[^\]]+\]|[*_\\]|\{[^}]*\}|\[|\]|\([^)]*\.md[^)]*\)", "", line).strip())
    return [p for p in found if len(p) > 40]


def write(path: Path, more_chapters: int = 0) -> Path:
    doc = Document()
    doc.core_properties.title = "Letters from the Ice"
    doc.core_properties.author = "Mary Shelley"
    doc.styles.add_style("Part", WD_STYLE_TYPE.PARAGRAPH).base_style = doc.styles["Heading 1"]
    doc.add_paragraph("Some words stand before the first chapter, as a foreword’s might.")
    for part, chapters in (("The Voyage", ("Letter One", "Letter Two")), ("The Return", ("Letter Three",))):
        doc.add_paragraph(part, style="Part")
        for title in chapters:
            doc.add_heading(title, level=1)
            p = doc.add_paragraph("You will rejoice to hear that ")
            p.add_run("no disaster").italic = True
            p.add_run(" has accompanied the ")
            p.add_run("commencement").bold = True
            p.add_run(" of an enterprise — which you have regarded with such “evil forebodings”.")
            caps = doc.add_paragraph("I arrived here yesterday, ")
            caps.add_run("St. Petersburgh").font.small_caps = True
            caps.add_run(", and my first task is to assure my dear sister of my welfare.[[note]]")
            doc.add_paragraph("I am already far north of London; I feel a cold northern breeze.",
                              style="Intense Quote")
    doc.add_heading("Lists and a Table", level=1)
    for item in ("Provisions for two years", "Warm clothing", "Instruments"):
        doc.add_paragraph(item, style="List Bullet")
    for item in ("Archangel", "The pack ice", "Home"):
        doc.add_paragraph(item, style="List Number")
    table = doc.add_table(rows=3, cols=3)
    for r, row in enumerate((("Letter", "Written at", "Day"), ("I", "St. Petersburgh", "0"),
                             ("II", "Archangel", "107"))):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    doc.add_paragraph("After the table, the letters go on.[[endnote]]")
    paragraphs = novel_paragraphs()
    for n in range(more_chapters):
        doc.add_heading(f"Letter {n + 4}", level=1)
        for k in range(8):
            doc.add_paragraph(paragraphs[(n * 8 + k) % len(paragraphs)])
    doc.add_heading("Pictures", level=1)
    for n, alt in enumerate(ALTS):
        doc.add_paragraph(f"Picture {n + 1} follows.")
        doc.add_picture(picture(n), width=Inches(4))
        doc.inline_shapes[n]._inline.docPr.set("descr", alt)
        if n < 2:  # the third has none: its alt text stands for it
            doc.add_paragraph(f"Figure {n + 1}: {alt.split(' ', 2)[2]}.", style="Caption")
    doc.save(path)
    return with_notes(path)


def with_notes(path: Path) -> Path:
    """Replace the '[[note]]' and '[[endnote]]' marks with note references, and add the notes' parts."""
    with zipfile.ZipFile(path) as source:
        files = {name: source.read(name) for name in source.namelist()}
    document = files["word/document.xml"].decode()
    counters = {"note": iter(range(1, 100)), "endnote": iter(range(1, 100))}

    def reference(match: re.Match) -> str:
        kind = "footnote" if match.group(1) == "note" else "endnote"
        number = next(counters[match.group(1)])
        if kind == "footnote" and number > len(NOTES["footnotes"]):
            return "</w:t></w:r><w:r><w:t xml:space=\"preserve\">"
        return (f'</w:t></w:r><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                f'<w:{kind}Reference w:id="{number}"/></w:r><w:r><w:t xml:space="preserve">')

    files["word/document.xml"] = re.sub(r"\[\[(note|endnote)\]\]", reference, document).encode()
    for kind in ("footnotes", "endnotes"):
        tag = kind[:-1]
        body = "".join(f'<w:{tag} w:id="{n}"><w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:{tag}>'
                       for n, text in enumerate(NOTES[kind], 1))
        files[f"word/{kind}.xml"] = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                                     f'<w:{kind} xmlns:w="{W}">{body}</w:{kind}>').encode()
        files["word/_rels/document.xml.rels"] = files["word/_rels/document.xml.rels"].replace(
            b"</Relationships>", f'<Relationship Id="rId{kind}" Type="http://schemas.openxmlformats.org/'
            f'officeDocument/2006/relationships/{kind}" Target="{kind}.xml"/></Relationships>'.encode())
        files["[Content_Types].xml"] = files["[Content_Types].xml"].replace(
            b"</Types>", f'<Override PartName="/word/{kind}.xml" ContentType="application/vnd.openxmlformats-'
            f'officedocument.wordprocessingml.{kind}+xml"/></Types>'.encode())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in files.items():
            target.writestr(name, data)
    return path


if __name__ == "__main__":
    write(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 0)
