"""The template sandbox: a book folder's template can reach nothing but its data, and stops within
its limits. Each payload is a book's templates/section.xhtml.j2; the build must exit 5 with a
one-line error naming the template and line, and (traced with an audit hook, and with strace where
it is installed) must open no file outside the book and run nothing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from bookbuilder import cli
from bookbuilder.render import sandbox

UNSAFE = "the template reaches outside its data"
UNDEFINED = "template failed"
SYNTAX = "template syntax error"
LIMIT = "template stopped"

# The escapes and the classic server-side template injection payloads (line 2 of the template).
PAYLOADS = {
    "cycler globals": ("{{ cycler.__init__.__globals__.os.popen('id').read() }}", UNSAFE),
    "joiner os.system": ("{{ joiner.__init__.__globals__.os.system('touch PWNED') }}", UNSAFE),
    "lipsum globals": ("{{ lipsum.__globals__['os'].popen('id').read() }}", UNDEFINED),
    "namespace globals": ("{{ namespace.__init__.__globals__.os.popen('id').read() }}", UNSAFE),
    "str mro subclasses": ("{{ ''.__class__.__mro__[1].__subclasses__() }}", UNSAFE),
    "tuple base subclasses": ("{{ ().__class__.__base__.__subclasses__() }}", UNSAFE),
    "loop over subclasses": ("{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}", UNSAFE),
    "self globals builtins": ("{{ self.__init__.__globals__.__builtins__.__import__('os').popen('id') }}", UNSAFE),
    "private context": ("{{ self._TemplateReference__context.cycler }}", UNSAFE),
    "data's class": ("{{ book.__class__.__init__.__globals__ }}", UNSAFE),
    "range globals": ("{{ range.__globals__.os }}", UNSAFE),
    "format string": ("{{ '{0.__class__}'.format(book.title) }}", UNSAFE),
    "format width": ('{{ "{a:20000000000}".format_map({"a": 1}) }}', UNSAFE),  # was 64 s, then a limit
    "percent format": ("{{ '%999999999d' % 1 }}", UNSAFE),
    "mutating the data": ("{{ book.contributors.append('x') }}", UNSAFE),
    "markup method": ("{{ section.body.unescape() }}", UNSAFE),
    "attr filter": ("{{ ''|attr('__class__') }}", SYNTAX),
    "map filter": ("{{ book.subjects|map('upper')|list }}", SYNTAX),
    "flask config": ("{{ config.__class__.__init__.__globals__['os'].popen('id').read() }}", UNSAFE),
    "flask request": ("{{ request.application.__globals__.__builtins__.__import__('os') }}", UNDEFINED),
    "open through builtins": ("{{ cycler.__init__.__globals__.__builtins__.open('/etc/passwd').read() }}", UNSAFE),
    "huge range": ("{% for i in range(10**12) %}{% endfor %}", LIMIT),
    "nested ranges": ("{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}", LIMIT),
    "huge power": ("{{ 9**999999999 }}", LIMIT),
    "tower of powers": ("{{ (((10**64)**64)**64)**64 }}", LIMIT),
    "squaring by macro": ("{% macro m(x, n) %}{{ m(x * x, n - 1) if n else 1 }}{% endmacro %}{{ m(3, 40) }}", LIMIT),
    "huge repeat": ("{{ 'a' * 10**9 }}", LIMIT),
    "doubling by macro": ("{% macro d(s, n) %}{% if n %}{{ d(s ~ s, n - 1) }}{% else %}{{ s|length }}{% endif %}"
                          "{% endmacro %}{{ d('x', 40) }}", LIMIT),
    "endless macro": ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", LIMIT),
}
ESCAPES = ("cycler globals", "joiner os.system", "self globals builtins", "open through builtins")


def override(book: Path, text: str, name: str = "section.xhtml.j2") -> Path:
    path = book / "templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def build(book: Path, out: Path) -> int:
    return cli.main([str(book), "--format", "epub", "--out", str(out)])


@pytest.mark.parametrize("name", PAYLOADS)
def test_payload_fails_politely_at_its_line(name, book_dir, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a 'touch PWNED' that ran would leave its file here
    book = book_dir("minimal")
    payload, message = PAYLOADS[name]
    path = override(book, "<section>\n" + payload + "\n</section>\n")
    assert build(book, tmp_path / "out") == 5
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}:2: {message}") and len(err.splitlines()) == 1, err
    assert "Traceback" not in err and not (tmp_path / "PWNED").exists() and not (tmp_path / "out").exists()


def test_blocks_nested_deeper_than_python_compiles_are_a_limit(book_dir, tmp_path, capsys):
    book = book_dir("minimal")
    path = override(book, "".join(f"{{% for a{n} in [1] %}}" for n in range(25)) + "{% endfor %}" * 25)
    assert build(book, tmp_path / "out") == 5
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}: template stopped: it nests its blocks too deeply to compile"), err


@pytest.mark.parametrize("written, found", [
    ('<section><div><span>{{ section.title }}</div></section>\n', "not well-formed: Opening and ending tag mismatch"),
    ("<section>\n<p>&nbsp;</p></section>\n", "not well-formed: Entity 'nbsp' not defined"),
    ('{% extends "default:section.xhtml.j2" %}{% block header %}<!DOCTYPE html [<!ENTITY a "aa">]>{% endblock %}\n',
     "a DOCTYPE other than '<!DOCTYPE html>'"),
])
def test_what_a_template_writes_is_checked_before_anything_reads_it(written, found, book_dir, tmp_path, capsys):
    book = book_dir("minimal")
    path = override(book, written)
    assert cli.main([str(book), "--format", "epub,print", "--out", str(tmp_path / "out")]) == 5
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}") and found in err and len(err.splitlines()) == 1, err


def test_a_doctype_is_named_in_the_template_that_writes_it(book_dir, tmp_path, capsys):
    book = book_dir("minimal")
    shell = override(book, (ROOT / "templates" / "epub" / "document.xhtml.j2").read_text().replace(
        "<!DOCTYPE html>", '<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'), "epub/document.xhtml.j2")
    assert build(book, tmp_path / "out") == 5
    assert capsys.readouterr().err.startswith(f"error: {shell}:2: the template writes a DOCTYPE other than")


def test_template_cycles_are_found_before_rendering(book_dir, tmp_path, capsys):
    book = book_dir("minimal")
    override(book, '{% include "part.xhtml.j2" %}\n')
    part = override(book, '<p>\n{% include "section.xhtml.j2" %}</p>\n', "part.xhtml.j2")
    assert build(book, tmp_path / "out") == 5
    assert capsys.readouterr().err.startswith(f"error: {part}:2: the templates include or extend each other in a "
                                              "cycle (section.xhtml.j2 -> part.xhtml.j2 -> section.xhtml.j2)")


def test_a_computed_template_name_is_refused(book_dir, tmp_path, capsys):
    book = book_dir("minimal")
    path = override(book, '{% include section.kind ~ ".j2" %}\n')
    assert build(book, tmp_path / "out") == 5
    assert capsys.readouterr().err.startswith(f"error: {path}:1: the template names another by a computed value")


def test_a_render_over_its_time_stops(book_dir, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sandbox, "RENDER_SECONDS", -1.0)  # every render is over its time at once
    assert build(book_dir("minimal"), tmp_path / "out") == 5
    assert "template stopped: the template took over -1 s to render" in capsys.readouterr().err


def test_a_render_over_its_size_stops(book_dir, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sandbox, "MAX_TEXT", 100)
    assert build(book_dir("minimal"), tmp_path / "out") == 5
    assert "template stopped: the template wrote over 100 characters" in capsys.readouterr().err


def test_the_templates_use_what_the_sandbox_gives(book_dir, tmp_path):
    book = book_dir("minimal")
    override(book, '{% extends "default:section.xhtml.j2" %}{% block body %}{{ book.title|upper }} '
                   '{% for i in range(3) %}{{ loop.cycle("a", "b") }}{{ i }}{% endfor %} '
                   '{{ book.subjects|join(", ") }}{{ super() }}{% endblock %}')
    assert build(book, tmp_path / "out") == 0


AUDITED = """
import json, sys
from pathlib import Path
from bookbuilder import cli
book, out, payloads = Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3])
template = book / "templates" / "section.xhtml.j2"
for warm_up in ("{{ section.body }}", "{{ section.nothing }}", "{{ ''.__class__ }}"):  # every module imported
    template.write_text(warm_up)
    cli.main([str(book), "--format", "epub", "--out", str(out / "warm")])
events = []
sys.addaudithook(lambda event, args: events.append([event, str(args[0]) if args else ""])
                 if event in ("open", "os.system", "subprocess.Popen", "os.exec", "os.posix_spawn", "os.spawn",
                              "os.fork", "socket.connect", "os.remove", "os.rename") else None)
codes = []
for n, payload in enumerate(payloads):
    template.write_text("<section>\\n" + payload + "\\n</section>\\n")
    codes.append(cli.main([str(book), "--format", "epub", "--out", str(out / str(n)), "--jobs", "1"]))  # no pool
print(json.dumps({"codes": codes, "events": events}))
"""


def test_audit_hook_sees_nothing_opened_or_run(book_dir, tmp_path):
    book = book_dir("minimal")
    override(book, "<section>{{ section.body }}</section>\n")
    payloads = [PAYLOADS[name][0] for name in ESCAPES]
    run = subprocess.run([sys.executable, "-c", AUDITED, str(book), str(tmp_path / "out"), json.dumps(payloads)],
                         capture_output=True, text=True, cwd=tmp_path, env={"PYTHONPATH": str(ROOT), "PATH": ""})
    report = json.loads(run.stdout.splitlines()[-1])
    assert report["codes"] == [5] * len(payloads), run.stderr
    assert report["events"] and {event for event, _ in report["events"]} == {"open"}  # the hook was listening
    # an open of a number is of a descriptor the input gate (inputs.py) opened and checked itself
    outside = [path for _, path in report["events"]
               if not path.isdigit() and not path.startswith((str(book), str(tmp_path), str(ROOT)))]
    assert outside == []


@pytest.mark.slow  # every build traced
@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed (Debian: apt-get install strace)")
def test_strace_sees_no_program_run_and_no_file_read_outside(book_dir, tmp_path):
    """Starting up runs programs of its own (ctypes looks for the libraries WeasyPrint loads): a
    payload's build runs exactly those a harmless failing template's build runs, and reads nothing
    more."""
    book = book_dir("minimal")

    def traced(payload: str, message: str) -> list[str]:
        override(book, "<section>\n" + payload + "\n</section>\n")
        trace = tmp_path / "trace"
        run = subprocess.run(["strace", "-f", "-qq", "-e", "trace=execve,open,openat,connect", "-o", str(trace),
                              sys.executable, str(ROOT / "make_book.py"), str(book), "--format", "epub",
                              "--out", str(tmp_path / "out")], capture_output=True, text=True, cwd=tmp_path)
        assert run.returncode == 5 and message in run.stderr
        return trace.read_text().splitlines()

    def programs(calls: list[str]) -> set[str]:
        return {c.split('"')[1] for c in calls if " execve(" in c}

    harmless = traced("{{ section.nothing }}", UNDEFINED)
    attacked = traced(PAYLOADS["open through builtins"][0] + "\n" + PAYLOADS["joiner os.system"][0], UNSAFE)
    assert programs(attacked) == programs(harmless) and sys.executable in programs(attacked)
    assert not [c for c in attacked if "/etc/passwd" in c or "connect(" in c or "PWNED" in c]


def test_an_error_names_the_included_template_and_its_line(book_dir, tmp_path, capsys):
    book = book_dir("minimal")
    override(book, '<section>\n{% include "part.xhtml.j2" %}</section>\n')
    part = override(book, "<p>\n\n{{ section.nothing.at_all }}</p>\n", "part.xhtml.j2")
    assert build(book, tmp_path / "out") == 5
    assert capsys.readouterr().err.startswith(f"error: {part}:3: template failed")
