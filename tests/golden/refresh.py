"""Write the golden digests of the built sample and of a synthetic set (``test_output_digests``).

    .venv/bin/python tests/golden/refresh.py

Run it only for a change meant to alter the output, and say in the commit what changed and why;
a change of storage or structure must leave the digests as they are.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests"))

from conftest import SAMPLE  # noqa: E402
from site_digests import site_digests  # noqa: E402
from test_output_digests import GOLDEN, SYNTHETIC_ARGS, build_for_digests  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        records = folder / "records"
        subprocess.run(
            [sys.executable, str(REPO / "bench" / "synth.py"), *SYNTHETIC_ARGS, "--out", records],
            check=True,
        )
        for name, content in (("sample", SAMPLE), ("synthetic", records)):
            site = folder / f"site-{name}"
            build_for_digests(content, site)
            text = json.dumps(site_digests(site), indent=1, sort_keys=True) + "\n"
            (HERE / GOLDEN[name]).write_text(text, encoding="utf-8")
            print(f"{GOLDEN[name]}: {text.count(':')} files")


if __name__ == "__main__":
    main()
