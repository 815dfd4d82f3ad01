"""What a web worker loads: the large libraries needed only for rare work stay out of it
until that work comes (issue 16: under 100 MB a worker)."""

from __future__ import annotations

import os
import subprocess
import sys

from ig.settings import PROJECT_ROOT

RARE = {
    "zxcvbn": "12 MB of word lists, for setting a password",
    "pypdf": "7 MB, for checking an uploaded agreement",
    "alembic": "8 MB, for migrations (ig init), never a page",
}


def test_serving_a_page_loads_none_of_the_libraries_kept_for_rare_work(tmp_path):
    script = (
        "import sys\n"
        "from ig import create_app\n"
        "app = create_app()\n"
        "assert app.test_client().get('/sign-in').status_code == 200\n"
        f"print(sorted(name for name in {sorted(RARE)!r} if name in sys.modules))\n"
    )
    env = {
        "PATH": os.environ.get("PATH", ""),
        "IG_ENV": "development",
        "IG_INSTANCE_PATH": str(tmp_path),
        "IG_DATABASE_URL": f"sqlite:///{tmp_path / 'ig.sqlite3'}",
    }
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", script],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]", f"loaded at start: {done.stdout} ({RARE})"
