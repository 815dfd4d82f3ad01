"""Run every benchmarks/<name>.py module's ``run(args)``, or only those named.

Usage: python -m benchmarks [name ...] [--quick]
"""

from __future__ import annotations

import sys
from importlib import import_module
from pathlib import Path


def main(argv: list[str]) -> int:
    names = [arg for arg in argv if not arg.startswith("-")]
    options = [arg for arg in argv if arg.startswith("-")]
    found = sorted(p.stem for p in Path(__file__).parent.glob("*.py") if not p.stem.startswith("_"))
    for name in names or found:
        if name not in found:
            print(f"no benchmark called {name!r}; have {', '.join(found)}", file=sys.stderr)
            return 2
        print(f"== {name}")
        import_module(f"benchmarks.{name}").run(options)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
