"""The Jinja2 environment: the book's templates/ before the defaults, StrictUndefined, autoescape,
in the sandbox (sandbox.py): a template from a book folder is not trusted.

A book template can extend the default it hides with ``{% extends "default:NAME" %}``.
"""

from __future__ import annotations

import jinja2
from jinja2.sandbox import SecurityError

from ..errors import TemplateError
from ..theme import Theme
from .sandbox import Budget, Sandbox, TemplateLimit


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
        return "".join(output)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or exc.name}:{exc.lineno}", f"template syntax error: {exc.message}",
                            "fix the template (or remove your override to use the default)",
                            code="template-syntax") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(name, f"template '{exc.name}' not found",
                            "restore it in templates/ or remove the reference", code="template-missing") from None
    except SecurityError as exc:
        raise TemplateError(template_location(exc, name), f"the template reaches outside its data ({exc})",
                            "a template may use only the book's data and the filters the README lists",
                            code="template-unsafe") from None
    except (TemplateLimit, RecursionError) as exc:
        problem = str(exc) if isinstance(exc, TemplateLimit) else "the template calls itself too deeply"
        raise TemplateError(template_location(exc, name), f"template stopped: {problem}",
                            "the README lists the limits of a template (its loops, ranges and size)",
                            code="template-limit") from None
    # UnicodeDecodeError is a ValueError; jinja2.TemplateError: e.g. a block defined twice
    except (jinja2.TemplateError, TypeError, ValueError, ArithmeticError, LookupError) as exc:
        raise TemplateError(template_location(exc, name), f"template failed: {exc}",
                            "use only the variables the default template uses", code="template-failed") from None


def template_location(exc: BaseException, name: str) -> str:
    """The innermost template frame in the traceback, as 'file:line'."""
    tb, where = exc.__traceback__, name
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            where = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where
