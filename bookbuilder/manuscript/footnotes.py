"""How a chapter's Markdown notes ([^id]) are written: the call, a link to the note, showing its
number (from 1 in each chapter, or through the book: env["first_note"] is the number the chapter's
first note shows); the note, an <aside> after the text (the PDFs move it to the foot of the page:
render/editions.py); and the note's number first in it, a link back to the call. Ids are numbered
per chapter, and unique in the book."""

from __future__ import annotations

from html import escape

from markdown_it.token import Token


def note_number(token: Token) -> int:
    """The note's number in its id: from 1 in each chapter."""
    return token.meta["id"] + 1


def shown(token: Token, env: dict) -> int:
    """The number the note shows."""
    return token.meta["id"] + env.get("first_note", 1)


def render_note_call(renderer, tokens: list[Token], idx: int, options, env) -> str:
    """A note's call: a link to the note, showing its number; ids unique in the book. A WORD JOINER
    before it: a line never breaks between a word and its call (a call alone at the start of a
    line, '25' under 'Accounts.', was seen in the handout)."""
    token = tokens[idx]
    n, prefix = note_number(token), env["prefix"]
    again = f"-{token.meta['subId'] + 1}" if token.meta["subId"] else ""
    return (f'\u2060<a href="#{prefix}-note-{n}" id="{prefix}-noteref-{n}{again}" class="noteref" '
            f'epub:type="noteref" role="doc-noteref">{shown(token, env)}</a>')


def render_note_open(renderer, tokens: list[Token], idx: int, options, env) -> str:
    return (f'<aside id="{env["prefix"]}-note-{note_number(tokens[idx])}" class="note" epub:type="footnote" '
            f'role="doc-footnote">\n')


NOTE_RULES = {
    "footnote_ref": render_note_call,
    "footnote_block_open": lambda *_: '<div class="notes">\n',
    "footnote_block_close": lambda *_: "</div>\n",
    "footnote_open": render_note_open,
    "footnote_close": lambda *_: "</aside>\n",
    "footnote_anchor": lambda *_: "",  # the back-link is the note's number, put first by mark_notes()
}


def mark_notes(tokens: list[Token], id_prefix: str, env: dict) -> None:
    """Each note begins with its number, a link back to where it is called."""
    for i, token in enumerate(tokens):
        if token.type == "footnote_open":
            n, number = note_number(token), shown(token, env)
            inline = next(t for t in tokens[i:] if t.type == "inline")
            back = Token("html_inline", "", 0)
            back.content = (f'<a href="#{id_prefix}-noteref-{n}" class="note-number" role="doc-backlink" '
                            f'aria-label="{escape(env["labels"].fill("note_back", number=number))}">{number}</a> ')
            inline.children = [back, *(inline.children or [])]
