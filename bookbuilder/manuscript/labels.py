"""Chapter labels (book.toml [structure] chapter_labels): what a chapter is called besides its title,
in its heading, the contents and the notes gathered at the end of the book."""

from __future__ import annotations

import roman

NUMBER_WORDS = ("", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven",
                "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen")
TENS = ("", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety")


def in_words(n: int) -> str:
    """1 -> 'One', 42 -> 'Forty-Two', 101 -> 'One Hundred and One' (chapter labels: up to 999)."""
    if n >= 100:
        rest = in_words(n % 100)
        return f"{NUMBER_WORDS[n // 100]} Hundred" + (f" and {rest}" if rest else "")
    if n < 20:
        return NUMBER_WORDS[n]
    return TENS[n // 10] + (f"-{NUMBER_WORDS[n % 10]}" if n % 10 else "")


def chapter_label(number: int | None, style: str) -> str:
    """book.toml [structure] chapter_labels: 'Chapter 3', 'Chapter III', 'Chapter Three' or none."""
    if not number or style == "none":
        return ""
    return "Chapter " + {"arabic": str, "roman": roman.toRoman, "words": in_words}[style](number)
