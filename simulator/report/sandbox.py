"""A user's report templates (``--template-dir``), rendered in a sandbox in a child process.

Jinja's :class:`~jinja2.sandbox.SandboxedEnvironment` stops templates from
reaching Python internals but not from burning CPU or memory (tech-notes §6,
gotcha 13), so user templates render in a separate process with a wall-clock
timeout, CPU and address-space limits and a cap on the output size. The child
receives only plain dicts, lists and strings (JSON on stdin), never live
objects.

Escaping cannot be switched off by the template: besides autoescape, the HTML
environment's ``finalize`` escapes every printed value that is not markup, so
``{% autoescape false %}`` changes nothing, and ``|safe`` only passes the
report's own charts. The Markdown environment escapes every printed value the
same way (:mod:`.markdown`). Templates missing from the user's folder fall back
to the built-in ones, so a folder may override just ``report.css``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import traceback
from pathlib import Path
from typing import Any

from simulator.errors import InputError
from simulator.files import escapes, not_regular

TIMEOUT_S = 20
"""Wall-clock limit for rendering one user template."""
MAX_OUTPUT = 64 * 1024 * 1024
"""Largest report a user template may produce (characters)."""
MAX_MEMORY = 1024 * 1024 * 1024
"""Address-space limit of the child process (bytes)."""
NAMES = {"html": "report.html.j2", "md": "report.md.j2"}


def render_user(template_dir: str | Path, fmt: str, data: dict[str, Any], charts: dict[str, str] | None = None,
                *, timeout: float = TIMEOUT_S) -> str:
    """Render ``template_dir``'s report template for ``fmt`` ('html' or 'md') in a sandboxed child."""
    folder = Path(template_dir)
    if not folder.is_dir():
        raise InputError(f"--template-dir {folder}: no such folder")
    check_folder(folder)
    payload = json.dumps({"template_dir": str(folder.resolve()), "name": NAMES[fmt], "format": fmt, "data": data,
                          "charts": {k: str(v) for k, v in (charts or {}).items()}, "max_output": MAX_OUTPUT,
                          "cpu": int(timeout) + 2}, ensure_ascii=False).encode("utf-8")
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    try:
        proc = subprocess.run([sys.executable, "-m", "simulator.report.sandbox"], input=payload,
                              capture_output=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        raise InputError(f"{folder}: the template took longer than {timeout:g} s to render and was stopped") from None
    if proc.returncode == 0:
        return proc.stdout.decode("utf-8")
    lines = proc.stderr.decode("utf-8", errors="replace").strip().splitlines()
    message = lines[-1] if lines else f"the template renderer stopped (exit code {proc.returncode})"
    if proc.returncode < 0:
        message = f"{folder}: the template was stopped by the resource limits (signal {-proc.returncode})"
    raise InputError(message)


MAX_ENTRIES = 10_000
"""Most files and folders a template folder may hold (the check walks all of them)."""


def check_folder(folder: Path) -> None:
    """Refuse a template folder holding a symlink out of it, or anything but files and folders.

    Jinja's file loader follows symlinks, so ``{% include "notes.j2" %}`` with
    ``notes.j2 -> /etc/passwd`` (or a symlinked subfolder) would put any
    readable file on the disk into the report; a named pipe would block the
    renderer. Checked before the child starts; links inside the folder are fine.
    """
    seen = 0
    for root, dirs, files in os.walk(folder, followlinks=False):
        for name in dirs + files:
            seen += 1
            if seen > MAX_ENTRIES:
                raise InputError(f"--template-dir {folder}: more than {MAX_ENTRIES} files and folders; "
                                 "give a folder with only the templates")
            path = Path(root) / name
            outside = escapes(path, folder) if path.is_symlink() else None
            if outside is not None:
                raise InputError(f"{path}: a symlink leading outside the template folder (to {outside}); "
                                 "refused: copy the file into the folder instead")
            why = not_regular(path) if name in files else None
            if why is not None:
                raise InputError(f"{path}: {why}; a template folder may hold only files and folders")


# ---------------------------------------------------------------- child side

def _limits(cpu: int) -> None:
    try:
        import resource
    except ImportError:  # not on this platform: the parent's timeout still applies
        return
    import signal

    sys.dont_write_bytecode = True
    if hasattr(signal, "SIGXFSZ"):  # a write past the file-size limit fails instead of killing us
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    for limit, value in ((resource.RLIMIT_CPU, cpu), (resource.RLIMIT_AS, MAX_MEMORY), (resource.RLIMIT_FSIZE, 0)):
        try:
            resource.setrlimit(limit, (value, value))
        except (ValueError, OSError):
            pass


def _environment(folder: str, fmt: str, charts: dict[str, str]):
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment
    from markupsafe import Markup, escape

    from simulator.report import markdown
    from simulator.report.render import RATING_CLASS, TEMPLATES

    trusted = {v: Markup(v) for v in charts.values()}
    loader = ChoiceLoader([FileSystemLoader(folder), FileSystemLoader(str(TEMPLATES))])
    common = dict(loader=loader, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                  keep_trailing_newline=True)
    if fmt == "html":
        env = SandboxedEnvironment(autoescape=True, finalize=lambda v: v if isinstance(v, Markup) else escape(v), **common)
        env.filters["safe"] = lambda v: trusted.get(v) if isinstance(v, str) and v in trusted else escape(v)
    else:
        env = SandboxedEnvironment(autoescape=False, finalize=markdown.finalize, **common)
        env.filters["code"] = markdown.code
        env.filters["when"] = markdown.when
        env.filters["safe"] = lambda v: markdown.MdSafe(markdown.escape(v))
    env.filters["rating_class"] = lambda r: RATING_CLASS.get(r, "r-none")
    return env, {k: trusted[v] for k, v in charts.items()}


def _where(exc: BaseException, folder: str) -> str:
    """'file:line' of the innermost template frame of an exception, if any."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".j2") or frame.filename.endswith(".css"):
            name = frame.filename
            try:
                name = str(Path(name).relative_to(folder))
                name = str(Path(folder) / name)
            except ValueError:
                pass
            return f"{name}:{frame.lineno}: "
    return f"{folder}: "


def main() -> int:
    """Child entry point: JSON job on stdin, the rendered report on stdout."""
    job = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    _limits(int(job.get("cpu", TIMEOUT_S + 2)))
    from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError

    folder = job["template_dir"]
    try:
        env, charts = _environment(folder, job["format"], job["charts"])
        template = env.get_template(job["name"])
        out, size = [], 0
        for chunk in template.generate(r=job["data"], charts=charts):
            size += len(chunk)
            if size > job["max_output"]:
                print(f"{folder}: the template produced more than {job['max_output'] // (1024 * 1024)} MB; stopped",
                      file=sys.stderr)
                return 2
            out.append(chunk)
    except TemplateSyntaxError as e:
        print(f"{e.filename or folder}:{e.lineno}: template syntax error: {e.message}", file=sys.stderr)
        return 2
    except TemplateNotFound as e:
        print(f"{folder}: template {e.name} not found", file=sys.stderr)
        return 2
    except TemplateError as e:  # SecurityError, UndefinedError, ...
        print(f"{_where(e, folder)}template error: {type(e).__name__}: {e}", file=sys.stderr)
        return 2
    except MemoryError:
        print(f"{folder}: the template used more memory than allowed ({MAX_MEMORY // (1024 * 1024)} MB)", file=sys.stderr)
        return 2
    except RecursionError:
        print(f"{folder}: the template recursed too deeply", file=sys.stderr)
        return 2
    except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as e:
        print(f"{_where(e, folder)}template error: {type(e).__name__}: {e}", file=sys.stderr)
        return 2
    sys.stdout.buffer.write("".join(out).encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
