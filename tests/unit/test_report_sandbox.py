"""User templates (--template-dir) render sandboxed in a child process: escaping
cannot be switched off, Python internals are out of reach, runaway templates are
stopped, and missing templates fall back to the built-in ones."""

from __future__ import annotations

import time

import pytest

from simulator.errors import InputError
from simulator.report.sandbox import render_user

DATA = {"overview": {"title": "<script>alert(1)</script>", "lines": ["a|b", "<i>c</i>"]},
        "meta": {"audience": "TLP:GREEN"}}
CHART = '<svg xmlns="http://www.w3.org/2000/svg"><title>chart</title></svg>'


def write(folder, name, text):
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_escaping_survives_autoescape_false_and_safe_but_charts_pass(tmp_path):
    d = write(tmp_path / "t", "report.html.j2",
              "{% autoescape false %}[{{ r.overview.title }}][{{ r.overview.title|safe }}]{% endautoescape %}"
              "[{{ charts.severity|safe }}][{{ charts.severity }}]")
    out = render_user(d, "html", DATA, {"severity": CHART})
    assert "<script" not in out
    assert out.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 2
    assert out.count(CHART) == 2


def test_markdown_user_template_escapes_everything_printed(tmp_path):
    d = write(tmp_path / "t", "report.md.j2", "# {{ r.overview.title }}\n{% for i in r.overview.lines %}- {{ i|safe }}\n{% endfor %}")
    out = render_user(d, "md", DATA)
    assert out == "# &lt;script&gt;alert(1)&lt;/script&gt;\n- a\\|b\n- &lt;i&gt;c&lt;/i&gt;\n"


def test_python_internals_are_refused_with_the_template_line(tmp_path):
    d = write(tmp_path / "t", "report.html.j2", "ok\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n")
    with pytest.raises(InputError, match=r"report\.html\.j2:2: template error: SecurityError"):
        render_user(d, "html", DATA)


def test_syntax_error_names_file_and_line(tmp_path):
    d = write(tmp_path / "t", "report.html.j2", "line one\n{% for x in r.meta %}{{ x }\n")
    with pytest.raises(InputError, match=r"report\.html\.j2:2: template syntax error"):
        render_user(d, "html", DATA)


def test_a_runaway_template_is_stopped_by_the_timeout(tmp_path):
    d = write(tmp_path / "t", "report.html.j2",
              "{% for i in range(100000) %}{% for j in range(100000) %}{{ i }}{% endfor %}{% endfor %}")
    start = time.monotonic()
    with pytest.raises(InputError, match="longer than 1 s"):
        render_user(d, "html", DATA, timeout=1)
    assert time.monotonic() - start < 10


def test_a_folder_with_only_a_stylesheet_uses_the_built_in_template(tmp_path):
    from simulator.journal.journal import Journal, Record
    from simulator.report import build
    from simulator.report.render import chart_svgs

    journal = Journal([
        Record(0, 0, "exercise.started", {"scenario": "s", "title": "Tiny", "tlp": "TLP:CLEAR", "start": "2026-01-01T00:00:00+00:00",
                                          "duration": 60, "teams": [{"id": "a", "name": "A", "plays": ["CSIRT-IE"]}]}),
        Record(1, 60, "exercise.ended", {"summary": "done"}),
    ])
    data = build(journal)
    charts = {k: str(v) for k, v in chart_svgs(data).items()}
    d = write(tmp_path / "t", "report.css", "body { color: rebeccapurple; }")
    out = render_user(d, "html", data, charts)
    assert "rebeccapurple" in out and out.count("<svg") == 3 and "Tiny" in out


def test_missing_folder_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such folder"):
        render_user(tmp_path / "nope", "html", DATA)
