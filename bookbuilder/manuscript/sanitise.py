"""A rendered chapter -> XHTML an EPUB accepts: raw HTML passes only through an allow-list.

markdown-it copies raw HTML through as written. The whole rendered chapter is parsed here as XML,
so raw HTML that is not well formed stops the build with its line, and every element or attribute
off the allow-list is removed with a warning naming its line: scripts, frames, objects, forms,
event handlers, javascript: URLs and styles that load URLs never reach the EPUB or the PDFs.

lxml parses; the allow-list is ours. nh3 and lxml_html_clean repair malformed HTML silently and do
not say what they removed, and this build must do both. markup.py puts a ``<?line N?>`` processing
instruction before every block, so a place in the rendered chapter maps back to a manuscript line.
"""

from __future__ import annotations

import html.entities
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..css import references
from ..errors import Location, ManuscriptError
from ..notices import Notice
from ..vocabulary import EPUB, SCHEME, XHTML, XML

LINE = "line"  # target of the processing instructions markup.py writes

# Removed with everything inside: active content, embedded documents, forms, document furniture.
DROP = {"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "param", "form", "input",
        "button", "select", "option", "optgroup", "textarea", "label", "fieldset", "legend", "link", "meta",
        "base", "head", "title", "noscript", "template", "audio", "video", "source", "track", "canvas", "svg",
        "math", "img", "picture", "map", "area", "dialog", "portal", "slot"}
PHRASING = {"a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "del", "dfn", "em", "i", "ins", "kbd",
            "mark", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u",
            "var", "wbr"}
FLOW = {"address", "article", "aside", "blockquote", "caption", "col", "colgroup", "dd", "details", "div", "dl",
        "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li",
        "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"}
# WeasyPrint lays out an element inside a dozen Python calls for each level; 250 levels exhaust
# Python's recursion limit. No book needs more than a few levels (list in a quotation in a div).
MAX_DEPTH = 50
VOID = {"br", "hr", "wbr", "col", "img", "area", "base", "embed", "input", "link", "meta", "source", "track"}
# Elements that only hold phrasing content: a block inside one is invalid XHTML.
PHRASING_PARENTS = PHRASING | {"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "dt", "summary", "caption"}
# Elements valid only inside certain parents.
PARENTS = {
    "li": {"ul", "ol"}, "dt": {"dl", "div"}, "dd": {"dl", "div"}, "tr": {"table", "thead", "tbody", "tfoot"},
    "td": {"tr"}, "th": {"tr"}, "thead": {"table"}, "tbody": {"table"}, "tfoot": {"table"}, "caption": {"table"},
    "colgroup": {"table"}, "col": {"colgroup", "table"}, "figcaption": {"figure"}, "summary": {"details"},
    "rt": {"ruby"}, "rp": {"ruby"},
}
GLOBAL_ATTRIBUTES = {"id", "class", "title", "lang", "dir", "role", f"{{{XML}}}lang", f"{{{EPUB}}}type"}
ATTRIBUTES = {
    "a": {"href"}, "td": {"colspan", "rowspan", "headers"}, "th": {"colspan", "rowspan", "headers", "scope", "abbr"},
    "ol": {"start", "reversed", "type"}, "li": {"value"}, "time": {"datetime"}, "data": {"value"},
    "col": {"span"}, "colgroup": {"span"}, "bdo": {"dir"}, "details": {"open"},
}
LINK_SCHEMES = ("http", "https", "mailto")
ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
VOID_TAG = re.compile(rf"<({'|'.join(sorted(VOID))})(\s[^<>]*?)?\s*(?<!/)>", re.IGNORECASE)
XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}
ARIA = re.compile(r"^aria-[a-z]+$")


@dataclass
class Clean:
    """A sanitised chapter and what the checks after it need: ids, internal links and headings,
    each with its manuscript line."""

    html: str
    removed: list[Notice] = field(default_factory=list)
    ids: list[tuple[str, Location]] = field(default_factory=list)
    links: list[tuple[str, Location]] = field(default_factory=list)
    headings: list[tuple[int, Location]] = field(default_factory=list)


def sanitise(fragment: str, source: Path, images: set[str]) -> Clean:
    """Parse ``fragment`` (markup.py's output, with line marks) as XHTML and keep only what is allowed.
    ``images`` are the figures' image paths: an <img> stays only as a figure's picture (load.py checks
    and packages those); any other is raw HTML pointing somewhere the book does not control."""
    text = VOID_TAG.sub(lambda m: f"<{m.group(1)}{m.group(2) or ''}/>", ENTITY.sub(named_entity, fragment))
    wrapped = f'<div xmlns="{XHTML}" xmlns:epub="{EPUB}">{text}</div>'
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_blank_text=False)
    try:
        root = etree.fromstring(wrapped, parser)
    except etree.XMLSyntaxError as exc:
        raise malformed(exc, text, source) from None
    clean = Clean("")
    line, marked_at = 1, 1
    for node in list(root.iter()):
        if node is root or not inside(node, root):  # inside something already dropped
            continue
        if isinstance(node, etree._ProcessingInstruction):
            if node.target == LINE and (node.text or "").strip().isdigit():
                line, marked_at = int(node.text), node.sourceline
        elif not isinstance(node, etree._Comment):
            where = Location(source, line + node.sourceline - marked_at)
            if depth(node) > MAX_DEPTH:
                raise ManuscriptError(where, f"raw HTML nested more than {MAX_DEPTH} elements deep",
                                      "flatten the markup (the PDF layout recurses once per level)", code="too-deep")
            check_element(node, where, clean, images)
    etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    for element in root.iter():
        if element.text is None and len(element) == 0 and local(element) not in VOID:
            element.text = ""  # <p></p>, not <p/>: the PDFs parse the chapter as HTML
    serialised = etree.tostring(root, encoding="unicode")
    clean.html = serialised[serialised.index(">") + 1:-len("</div>")]
    return clean


def depth(node: etree._Element) -> int:
    return sum(1 for _ in node.iterancestors())


def inside(node: etree._Element, root: etree._Element) -> bool:
    while node is not None and node is not root:
        node = node.getparent()
    return node is root


def named_entity(match: re.Match) -> str:
    """&nbsp; and the other HTML entities XML does not define, as character references."""
    name = match.group(1)
    if name in XML_ENTITIES or f"{name};" not in html.entities.html5:
        return match.group(0)
    return "".join(f"&#{ord(c)};" for c in html.entities.html5[f"{name};"])


def malformed(exc: etree.XMLSyntaxError, text: str, source: Path) -> ManuscriptError:
    """The parser's complaint, with its line numbers turned into manuscript lines."""
    lines = text.splitlines()
    marks = [(n, int(found[-1])) for n, row in enumerate(lines, 1)
             for found in [re.findall(rf"<\?{LINE} (\d+)\?>", row)] if found]

    def manuscript_line(rendered: int) -> int:
        before = [(n, mark) for n, mark in marks if n <= rendered]
        return before[-1][1] + rendered - before[-1][0] if before else rendered

    message = re.sub(r"line (\d+)", lambda m: f"line {manuscript_line(int(m.group(1)))}", exc.msg or str(exc))
    message = re.sub(r",\s*line \d+, column \d+$", "", message)
    return ManuscriptError(Location(source, manuscript_line(exc.lineno or 1)), f"raw HTML is not well formed "
                           f"({message})", "close every tag you open, in order; write <br/> or <br>, "
                           "and &amp; for a bare &", code="malformed-html")


def local(element: etree._Element) -> str:
    return etree.QName(element).localname


def check_element(element: etree._Element, here: Location, clean: Clean, images: set[str]) -> None:
    """Drop, unwrap or keep ``element``; strip attributes off the allow-list; note ids, links, headings."""
    name, qname = local(element), etree.QName(element)
    if name == "img" and figure_picture(element, images):
        return
    if qname.namespace != XHTML or name in DROP:
        clean.removed.append(removed(here, f"<{name}> removed with its content", "EPUB books cannot run or "
                                     "embed it; images go in a '::: figure'"))
        drop(element)
        return
    parent = element.getparent()
    parent_name = local(parent) if parent is not None and parent.getparent() is not None else "div"
    if name not in PHRASING | FLOW:
        clean.removed.append(removed(here, f"<{name}> is not an EPUB element; its tag was removed, its text kept",
                                     "use a standard HTML element, or Markdown"))
        unwrap(element)
        return
    if (parent_name in PHRASING_PARENTS and name not in PHRASING) or (name in PARENTS and parent_name not in
                                                                      PARENTS[name]):
        clean.removed.append(removed(here, f"<{name}> cannot stand inside <{parent_name}>; its tag was removed, "
                                     "its text kept", "close the paragraph first, or use <span>"))
        unwrap(element)
        return
    if name == "td" and element.get("scope"):  # HTML 4's header cell (pandoc copies it): HTML 5 wants a <th>
        element.tag, name = f"{{{XHTML}}}th", "th"
    elif name == "th" and not len(element) and not (element.text or "").strip():
        # an empty header cell heads nothing (screen readers announce it blank; Ace: empty-table-header);
        # pandoc writes every cell of a header row as one, where the source had <td/> under a spanned head
        element.tag, name = f"{{{XHTML}}}td", "td"
        element.attrib.pop("scope", None)
    for attribute in list(element.attrib):
        value = element.get(attribute)
        short = etree.QName(attribute).localname
        problem = attribute_problem(name, attribute, short, value)
        if problem:
            clean.removed.append(removed(here, problem, "write the link or style differently, or leave it out"))
            del element.attrib[attribute]
    if element.get("id") is not None:
        clean.ids.append((element.get("id"), here))
    if name == "a" and element.get("href") is not None:
        clean.links.append((element.get("href"), here))
    if re.fullmatch(r"h[1-6]", name):
        clean.headings.append((int(name[1]), here))


def figure_picture(element: etree._Element, images: set[str]) -> bool:
    """A Markdown figure's image: first in a <figure>, a path load.py checks, nothing but src and alt."""
    parent = element.getparent()
    first = not any(isinstance(s.tag, str) for s in element.itersiblings(preceding=True))  # marks are not tags
    return (parent is not None and local(parent) == "figure" and first
            and element.get("src") in images and set(element.attrib) <= {"src", "alt"})


def attribute_problem(element: str, attribute: str, short: str, value: str) -> str:
    """Why ``attribute`` must go, or '' when it may stay."""
    if short.startswith("on"):
        return f"event handler '{short}' removed from <{element}>"
    if short == "style":
        return "" if not references(value) else f"a style that loads a URL removed from <{element}>"
    if attribute not in GLOBAL_ATTRIBUTES | ATTRIBUTES.get(element, set()) and not ARIA.match(attribute):
        return f"attribute '{short}' removed from <{element}>"
    if attribute == "id" and not re.fullmatch(r"\S+", value):
        return f"id '{value}' removed from <{element}> (an id is one word)"
    if attribute == "href":
        target = re.sub(r"[\x00-\x20]", "", value)
        scheme = SCHEME.match(target)
        if (scheme and scheme.group(1).lower() not in LINK_SCHEMES) or target.startswith("//"):
            return f"link '{value[:60]}' removed from <{element}> (only http, https and mailto links)"
    return ""


def removed(here: Location, problem: str, fix: str) -> Notice:
    return Notice(here, problem, fix, code="removed-html")


def fragment_root(html: str) -> etree._Element:
    """Rendered body markup (several elements, XHTML) parsed under one wrapper element."""
    return etree.fromstring(f'<div xmlns="{XHTML}" xmlns:epub="{EPUB}">{html}</div>')


def fragment_html(root: etree._Element) -> str:
    """The markup inside the wrapper fragment_root() made."""
    serialised = etree.tostring(root, encoding="unicode")
    return serialised[serialised.index(">") + 1:-len("</div>")]


def drop(element: etree._Element) -> None:
    """Remove ``element`` and its content, keeping the text after it."""
    parent = element.getparent()
    if parent is not None:
        keep_tail(element)
        parent.remove(element)


def unwrap(element: etree._Element) -> None:
    """Remove ``element``'s tags, keeping its text and children in place."""
    parent = element.getparent()
    if parent is not None:
        etree.strip_tags(parent, element.tag)  # strips every such child of parent: fine, each is visited


def keep_tail(element: etree._Element) -> None:
    tail = element.tail
    if not tail:
        return
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent = element.getparent()
        parent.text = (parent.text or "") + tail
