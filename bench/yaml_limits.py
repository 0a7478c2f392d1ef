"""Time and memory of simulator.scenario.yamlio on hostile and normal inputs.

    python bench/yaml_limits.py            # all cases, each in a fresh process
    python bench/yaml_limits.py --case bomb

Each case runs in its own child process so that ``ru_maxrss`` (the peak
resident set size of the process, which also sees libyaml's C allocations) is
not inflated by an earlier case. ``tracemalloc`` gives the peak of Python
allocations during a second, identical call (the timed call runs without
tracemalloc, which slows Python code down several times). "rss before" is
ru_maxrss after imports and after the input was prepared, just before the call;
"max rss" is ru_maxrss right after the timed call.

The unit tests assert only that these inputs are refused; this script is where
the "well under a second, under 100 MB" figures are measured.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from simulator.errors import ScenarioError  # noqa: E402
from simulator.scenario import yamlio  # noqa: E402

MB = 1024 * 1024


def scenario_text(target_bytes: int) -> str:
    """A scenario-shaped document (actors, injects with bodies, lists) of about target_bytes."""
    parts = ["meta:\n  title: Exercise\n  version: 1\nactors:\n"]
    for i in range(45):
        parts.append(f"  - id: actor-{i}\n    name: \"Actor {i}\"\n    role: csirt\n")
    parts.append("injects:\n")
    size = sum(len(p) for p in parts)
    i = 0
    while size < target_bytes:
        chunk = (
            f"  - id: inj-{i:06d}\n    at: \"T+{i // 60:02d}:{i % 60:02d}\"\n    actor: actor-{i % 45}\n"
            f"    channel: email\n    severity: {i % 5}\n    tags: [phishing, ransomware, \"sector-{i % 7}\"]\n"
            f"    body: |\n      Line one of the inject body for {i}.\n      Line two with more words in it.\n"
            f"    expects:\n      - action: escalate\n        within: 30\n      - action: notify\n        within: 60\n"
        )
        parts.append(chunk)
        size += len(chunk)
        i += 1
    return "".join(parts)


def billion_laughs() -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


CASES = {
    "50mb-file": "a 50 MB file (load_yaml_file, refused by size)",
    "bomb": "billion laughs, 10 levels x 9 (refused: alias expansion)",
    "deep-100k": "100,000-deep [[[...]]] (refused: nesting)",
    "normal-100k": "a normal 100 KB scenario (loaded)",
    "normal-2mb": "a normal 2 MB scenario, at the size limit (loaded; for scale)",
    "bomb-py": "billion laughs with the pure-Python parser fallback",
    "deep-100k-py": "100,000-deep nesting with the pure-Python parser fallback",
}


def run_case(name: str, workdir: Path) -> None:
    """Run one case in this process and print one tab-separated result line."""
    if name.endswith("-py"):
        yamlio._LOADER = yamlio._PyLoader
    if name == "50mb-file":
        path = workdir / "big.yaml"

        def call():
            return yamlio.load_yaml_file(path)
    else:
        if name.startswith("bomb"):
            source = billion_laughs()
        elif name.startswith("deep-100k"):
            source = "[" * 100_000 + "]" * 100_000
        elif name == "normal-100k":
            source = scenario_text(100 * 1024)
        else:
            source = scenario_text(1_990_000)

        def call():
            return yamlio.load_yaml_text(source, name)

    baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Timed run without tracemalloc (it slows Python code down several times)...
    start = time.perf_counter()
    try:
        doc = call()
        outcome = f"loaded ({type(doc.data).__name__})"
    except ScenarioError as err:
        first = err.problems[0]
        outcome = f"refused {first.line}:{first.col} {first.message}"
    elapsed = time.perf_counter() - start
    maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    doc = None
    # ...then the same call again under tracemalloc for the Python peak.
    tracemalloc.start()
    try:
        call()
    except ScenarioError:
        pass
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{name}\t{elapsed * 1000:.1f}\t{peak / MB:.2f}\t{baseline_kb / 1024:.1f}\t{maxrss_kb / 1024:.1f}\t{outcome}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--case", choices=sorted(CASES))
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    if args.case:
        run_case(args.case, args.workdir or Path(tempfile.gettempdir()))
        return 0

    with tempfile.TemporaryDirectory(prefix="yaml_limits_") as tmp:
        workdir = Path(tmp)
        # A real 50 MB file (not sparse), written once by the parent.
        line = b"key: a value that is not parsed anyway\n"
        with open(workdir / "big.yaml", "wb") as handle:
            block = line * (MB // len(line) + 1)
            for _ in range(50):
                handle.write(block[:MB])
        print(f"python {sys.version.split()[0]}, PyYAML {__import__('yaml').__version__}, "
              f"libyaml: {getattr(yamlio, '_CLoader', None) is not None}, default loader: {yamlio._LOADER.__name__}")
        print(f"{'case':<14} {'time ms':>9} {'py peak MB':>11} {'rss before MB':>14} {'max rss MB':>11}  outcome")
        for name, description in CASES.items():
            result = subprocess.run(
                [sys.executable, __file__, "--case", name, "--workdir", str(workdir)],
                capture_output=True, text=True, check=False, env={**os.environ, "PYTHONHASHSEED": "0"},
            )
            if result.returncode != 0:
                print(f"{name:<14} FAILED\n{result.stderr}")
                continue
            case, ms, peak, before, maxrss, outcome = result.stdout.strip().split("\t", 5)
            print(f"{case:<14} {float(ms):>9.1f} {float(peak):>11.2f} {float(before):>14.1f} {float(maxrss):>11.1f}  "
                  f"{outcome}")
            print(f"{'':<14} ({description})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
