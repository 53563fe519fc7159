"""bookbuilder: one manuscript, shared templates, three finished books (EPUB, print PDF, handout PDF)."""

__version__ = "0.1.0"
