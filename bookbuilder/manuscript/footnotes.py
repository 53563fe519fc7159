"""How a chapter's Markdown notes ([^id]) are written: the call, a link to the note numbered per
chapter; the note, an <aside> after the text (the PDFs move it to the foot of the page: render/
editions.py); and the note's number first in it, a link back to the call. Ids are unique in the book."""

from __future__ import annotations

from markdown_it.token import Token


def note_number(token: Token) -> int:
    return token.meta["id"] + 1


def render_note_call(renderer, tokens: list[Token], idx: int, options, env) -> str:
    """A note's call: a link to the note, numbered per chapter; ids unique in the book."""
    token = tokens[idx]
    n, prefix = note_number(token), env["prefix"]
    again = f"-{token.meta['subId'] + 1}" if token.meta["subId"] else ""
    return (f'<a href="#{prefix}-note-{n}" id="{prefix}-noteref-{n}{again}" class="noteref" epub:type="noteref" '
            f'role="doc-noteref">{n}</a>')


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


def mark_notes(tokens: list[Token], id_prefix: str) -> None:
    """Each note begins with its number, a link back to where it is called."""
    for i, token in enumerate(tokens):
        if token.type == "footnote_open":
            n = note_number(token)
            inline = next(t for t in tokens[i:] if t.type == "inline")
            back = Token("html_inline", "", 0)
            back.content = (f'<a href="#{id_prefix}-noteref-{n}" class="note-number" role="doc-backlink" '
                            f'aria-label="Back to note {n} in the text">{n}</a> ')
            inline.children = [back, *(inline.children or [])]
