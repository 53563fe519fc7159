"""The template sandbox: every template the tool renders, shipped or from a book folder, runs here.

A book folder may come from a stranger, and its templates/ with it. Jinja2's
ImmutableSandboxedEnvironment keeps a template away from Python itself (no attribute that starts
with '_', no method that changes the data); on top of it a template gets only what the shipped
templates need: the data it is given, the filters in FILTERS, the methods in METHODS, and
``range``. It also gets a budget: at most MAX_RANGE numbers from one ``range``, MAX_LOOP_STEPS
loop steps, MAX_TEXT characters (of one value, or of the whole output) and numbers of
MAX_INT_BITS per render, and
RENDER_SECONDS of time. Every template a render can reach through extends, include or import is
looked at before it runs, so a cycle is an error with its line, not a RecursionError.
"""

from __future__ import annotations

import re
import time

from jinja2 import TemplateNotFound, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from jinja2.visitor import NodeTransformer

from ..errors import TemplateError

MAX_RANGE = 10_000  # numbers one range() may make
MAX_LOOP_STEPS = 1_000_000  # steps of every {% for %} loop in one render, together
# characters of one value, or of one render's output: the largest document of a 404-page book (the
# print edition's, laid out whole) is 0.57 million, so this is about a 5,000-page book's
MAX_TEXT = 8_000_000
MAX_INT_BITS = 4096  # bits of one whole number ('**' and '*' could otherwise fill the memory)
RENDER_SECONDS = 60.0  # one render, wall clock
FILTERS = ("capitalize", "default", "e", "escape", "first", "join", "last", "length", "list", "lower", "reverse",
           "safe", "sort", "string", "title", "trim", "upper")
METHODS = frozenset({"cycle", "changed",  # the loop variable's
                     "items", "keys", "values", "get",  # a mapping's
                     "lower", "upper", "title", "capitalize", "strip", "startswith", "endswith", "split"})
STEPS, SIZED = "_loop_steps", "_sized"  # internal filters the sandbox wraps round loops and joins (~)
REFERENCES = (nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)
DOCTYPE = re.compile(r"<!DOCTYPE", re.IGNORECASE)
PLAIN_DOCTYPE = "<!DOCTYPE html>"  # the only one the shipped templates write (templates.checked_output)


class TemplateLimit(Exception):
    """A render went over one of the sandbox's limits; the message names it."""


class Budget:
    """What one render may still spend."""

    def __init__(self):
        self.deadline = time.monotonic() + RENDER_SECONDS
        self.steps = 0
        self.written = 0

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise TemplateLimit(f"the template took over {RENDER_SECONDS:g} s to render")

    def step(self) -> None:
        self.steps += 1
        if self.steps > MAX_LOOP_STEPS:
            raise TemplateLimit(f"the template's loops ran over {MAX_LOOP_STEPS:,} steps")
        self.tick()

    def sized(self, value):
        if isinstance(value, str | list | tuple):
            self.within(len(value))
        elif isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
            raise TemplateLimit(f"the template made a number of {value.bit_length():,} bits, over {MAX_INT_BITS:,}")
        return value

    def within(self, size: int) -> None:
        if size > MAX_TEXT:
            raise TemplateLimit(f"the template made a value of {size:,} items, over {MAX_TEXT:,}")

    def write(self, chunk: str) -> None:
        self.written += len(chunk)
        if self.written > MAX_TEXT:
            raise TemplateLimit(f"the template wrote over {MAX_TEXT:,} characters")
        self.tick()


class Guard(NodeTransformer):
    """Every loop's sequence and every '~' join goes through the budget."""

    def visit_For(self, node: nodes.For) -> nodes.For:
        self.generic_visit(node)
        node.iter = nodes.Filter(node.iter, STEPS, [], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Filter:
        self.generic_visit(node)
        return nodes.Filter(node, SIZED, [], [], None, None, lineno=node.lineno)


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox, with only what templates need and a budget per render."""

    intercepted_binops = frozenset({"+", "*", "**", "%"})

    def __init__(self, **options):
        super().__init__(**options)
        self.globals = {"range": self.range}  # not cycler, joiner, namespace, lipsum, dict
        self.filters = {name: self.filters[name] for name in FILTERS} | {STEPS: self.loop_steps,
                                                                         SIZED: self.sized}
        self.references: dict[str, tuple[str, list[tuple[str | None, int]]]] = {}
        self.doctypes: dict[str, int] = {}  # template file -> the line of a DOCTYPE other than the plain one
        self.budget = Budget()

    def _parse(self, source, name, filename):  # Jinja2 parses every template here, before compiling it
        tree = Guard().visit(super()._parse(source, name, filename))
        tree.set_environment(self)
        self.references[name] = (filename or name, list(referenced(tree)))
        for number, line in enumerate(source.splitlines(), 1):
            if (at := DOCTYPE.search(line)) and line[at.start():at.start() + len(PLAIN_DOCTYPE)] != PLAIN_DOCTYPE:
                self.doctypes.setdefault(filename or name, number)
        return tree

    def is_safe_attribute(self, obj, attr, value) -> bool:
        return super().is_safe_attribute(obj, attr, value) and (not callable(value) or attr in METHODS)

    def wrap_str_format(self, value):
        """None: str.format and format_map are attributes like any other, refused (not in METHODS).
        The width in '{:20000000000}' is made before any budget could measure it."""
        return None

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja2's signature)
        __self.budget.tick()
        for value in (*args, *kwargs.values()):
            __self.budget.sized(value)
        return __self.budget.sized(super().call(__context, __obj, *args, **kwargs))

    def call_binop(self, context, operator, left, right):
        if operator == "%" and isinstance(left, str):
            raise SecurityError("'%' formatting of text is not available in templates; join text with '~'")
        if operator == "**" and isinstance(left, int) and isinstance(right, int) and (
                abs(left).bit_length() * right > MAX_INT_BITS):
            raise TemplateLimit(f"'**' would make a number of over {MAX_INT_BITS:,} bits")
        if operator == "*" and isinstance(left, int) and isinstance(right, str | list | tuple):
            left, right = right, left
        if operator == "*" and isinstance(left, str | list | tuple) and isinstance(right, int):
            self.budget.within(len(left) * right)
        return self.budget.sized(super().call_binop(context, operator, left, right))

    def range(self, *args) -> range:
        numbers = range(*args)
        if numbers.start + MAX_RANGE * numbers.step in numbers:  # len() fails on the largest ranges
            raise TemplateLimit(f"range({', '.join(map(str, args))}) makes more than the {MAX_RANGE:,} numbers "
                                "a template may use")
        return numbers

    def loop_steps(self, sequence):
        for item in sequence:
            self.budget.step()
            yield item

    def sized(self, value):
        return self.budget.sized(value)

    def check_references(self, name: str) -> None:
        """Load every template ``name`` reaches through extends, include and import; a cycle, or a
        name computed at render time (which could hide one), is a TemplateError at its line."""
        done: set[str] = set()

        def visit(current: str, chain: tuple[str, ...]) -> None:
            self.get_template(current)
            filename, refs = self.references[current]
            for ref, line in refs:
                where = f"{filename}:{line}"
                if ref is None:
                    raise TemplateError(where, "the template names another by a computed value",
                                        "write the template's name in quotes", code="template-cycle")
                path = (*chain, current)
                if ref in path:
                    cycle = " -> ".join((*path[path.index(ref):], ref))
                    raise TemplateError(where, f"the templates include or extend each other in a cycle ({cycle})",
                                        "extend the default you hide as \"default:NAME\", or remove the reference",
                                        code="template-cycle")
                if ref not in done:
                    try:
                        visit(ref, (*chain, current))
                    except TemplateNotFound as exc:
                        raise TemplateError(where, f"template '{exc.name}' not found",
                                            "restore it in templates/ or remove the reference",
                                            code="template-missing") from None
            done.add(current)

        visit(name, ())


def referenced(tree: nodes.Template):
    """(name, line) of every template ``tree`` extends, includes or imports; None for a computed name."""
    for node in tree.find_all(REFERENCES):
        target = node.template
        for item in target.items if isinstance(target, nodes.Tuple | nodes.List) else [target]:
            value = item.value if isinstance(item, nodes.Const) else None
            yield (value if isinstance(value, str) else None), node.lineno
