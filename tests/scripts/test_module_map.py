"""The README's module map is the one scripts/module_map.py prints from app/'s docstrings."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_the_readme_module_map_is_current() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "module_map.py"), "--check"],
        capture_output=True, text=True, cwd=REPO,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_every_module_has_a_label() -> None:
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import module_map
    finally:
        sys.path.pop(0)
    unlabelled = [line for line in module_map.module_map().splitlines() if line.endswith(": ")]
    assert unlabelled == []
