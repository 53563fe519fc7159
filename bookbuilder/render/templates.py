"""The Jinja2 environment: the book's templates/ before the defaults, StrictUndefined, autoescape,
in the sandbox (sandbox.py): a template from a book folder is not trusted.

A book template can extend the default it hides with ``{% extends "default:NAME" %}``.
"""

from __future__ import annotations

import jinja2
from jinja2.sandbox import SecurityError
from lxml import etree

from ..errors import TemplateError
from ..theme import Theme
from .sandbox import DOCTYPE, PLAIN_DOCTYPE, Budget, Sandbox, TemplateLimit


class ThemeLoader(jinja2.BaseLoader):
    """Templates from the theme (book folder first), through Theme.find: a template symlinked or
    included from outside the book is not found. 'default:NAME' is the default NAME."""

    def __init__(self, theme: Theme):
        self.theme = theme

    def get_source(self, environment, template):
        theme, name = self.theme, template
        if template.startswith("default:"):
            theme, name = Theme.defaults(), template.removeprefix("default:")
        path = theme.find(f"templates/{name}")
        if path is None:
            raise jinja2.TemplateNotFound(template)
        mtime = path.stat().st_mtime
        source = theme.read(f"templates/{name}", None).decode("utf-8")  # through the input gate (inputs.py)
        return source, str(path), lambda: path.stat().st_mtime == mtime


def environment(theme: Theme) -> Sandbox:
    """The theme's templates, for XHTML and HTML: autoescaped."""
    return jinja2_environment(ThemeLoader(theme), autoescape=True)


def jinja2_environment(loader: jinja2.BaseLoader, autoescape: bool) -> Sandbox:
    """The one Jinja2 set-up of every template the tool renders (the theme's, the starter's)."""
    return Sandbox(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_template(env: Sandbox, name: str, **context) -> str:
    """Render ``name`` within a new budget; any failure becomes a TemplateError naming the template
    and line."""
    env.budget = Budget()
    try:
        template = env.get_template(name)
        env.check_references(name)
        output = []
        for chunk in template.generate(**context):
            env.budget.write(chunk)
            output.append(chunk)
        return checked_output(template.filename or name, "".join(output), env.doctypes)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or exc.name}:{exc.lineno}", f"template syntax error: {exc.message}",
                            "fix the template (or remove your override to use the default)",
                            code="template-syntax") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(name, f"template '{exc.name}' not found",
                            "restore it in templates/ or remove the reference", code="template-missing") from None
    except SecurityError as exc:
        raise TemplateError(template_location(exc, name), f"the template reaches outside its data ({exc})",
                            "a template may use only the book's data and the filters the manual lists (docs/book-folder.md)",
                            code="template-unsafe") from None
    except SyntaxError as exc:  # Python compiles a template's blocks into nested statements
        where = exc.filename if str(exc.filename).endswith(".j2") else name  # the template compiled
        raise TemplateError(where, f"template stopped: it nests its blocks too deeply to compile ({exc.msg})",
                            "nest fewer {% for %} and {% if %} blocks inside each other (at most 20 in all)",
                            code="template-limit") from None
    except (TemplateLimit, RecursionError, MemoryError) as exc:
        problem = (str(exc) if isinstance(exc, TemplateLimit) else "the template calls itself too deeply"
                   if isinstance(exc, RecursionError) else "the template needs more memory than the build has")
        raise TemplateError(template_location(exc, name), f"template stopped: {problem}",
                            "the manual lists the limits of a template (its loops, ranges and size)",
                            code="template-limit") from None
    # UnicodeDecodeError is a ValueError; jinja2.TemplateError: e.g. a block defined twice
    except (jinja2.TemplateError, TypeError, ValueError, ArithmeticError, LookupError) as exc:
        raise TemplateError(template_location(exc, name), f"template failed: {exc}",
                            "use only the variables the default template uses", code="template-failed") from None


WRAPPER = ('<wrapper xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">', "</wrapper>")
XML_PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)


def checked_output(where: str, text: str, doctypes: dict[str, int]) -> str:
    """``text``, what the template at ``where`` wrote, if every reader after it can take it: no
    DOCTYPE but the plain one (an internal subset declares entities that expand on parsing), named
    at its line in the template that writes it (``doctypes``: Sandbox.doctypes); and, for an XHTML
    or XML template, well-formed XML (a fragment within one element)."""
    for match in DOCTYPE.finditer(text):
        if text[match.start():match.start() + len(PLAIN_DOCTYPE)] != PLAIN_DOCTYPE:
            line = text.count("\n", 0, match.start()) + 1
            raise TemplateError(next((f"{file}:{at}" for file, at in doctypes.items()), where), f"the template writes a DOCTYPE other than "
                                f"'{PLAIN_DOCTYPE}' (output line {line})",
                                f"write '{PLAIN_DOCTYPE}' or none: a book's documents declare no entities",
                                code="template-output")
    if where.endswith((".xhtml.j2", ".ncx.j2")):
        whole = text.lstrip().startswith(("<?xml", "<!DOCTYPE", "<html", "<ncx"))
        try:
            etree.fromstring((text if whole else WRAPPER[0] + text + WRAPPER[1]).encode("utf-8"), XML_PARSER)
        except etree.XMLSyntaxError as exc:
            raise TemplateError(where, f"the template writes XHTML that is not well-formed: {exc.msg} "
                                f"(output line {exc.lineno})",
                                "close every element the template opens, and escape '<' and '&' in text",
                                code="template-output") from None
    return text


def template_location(exc: BaseException, name: str) -> str:
    """The innermost template frame in the traceback, as 'file:line'."""
    tb, where = exc.__traceback__, name
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            where = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where
