"""Stage 2, rendering: the Book -> documents (XHTML and HTML text) through the Jinja2 templates,
and the pictures the build draws itself. Returns documents; never packages them."""
