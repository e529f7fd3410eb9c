"""Print the README's module map: one line per module of app/, its one-line docstring label.

.venv/bin/python scripts/module_map.py          # print the map
.venv/bin/python scripts/module_map.py --check  # exit 1 if README.md's map differs
"""

import ast
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BEGIN, END = "<!-- module map: begin -->", "<!-- module map: end -->"


def label(path: Path) -> str:
    """The first sentence line of a module's docstring."""
    doc = ast.get_docstring(ast.parse(path.read_text())) or ""
    paragraph = " ".join(doc.split("\n\n")[0].split())
    sentence, dot, _ = paragraph.partition(". ")
    return sentence + dot.strip()


def module_map() -> str:
    lines = []
    for path in sorted((REPO / "app").rglob("*.py")):
        relative = path.relative_to(REPO)
        if "migrations" in relative.parts[:2] and relative.name != "__init__.py":
            continue  # Alembic's revisions: `alembic history` lists them
        lines.append(f"- `{relative}`: {label(path)}")
    return "\n".join(lines)


def readme_map() -> str:
    text = (REPO / "README.md").read_text()
    return text.split(BEGIN, 1)[1].split(END, 1)[0].strip()


def write_readme_map() -> None:
    readme = REPO / "README.md"
    text = readme.read_text()
    before, rest = text.split(BEGIN, 1)
    after = rest.split(END, 1)[1]
    readme.write_text(f"{before}{BEGIN}\n{module_map()}\n{END}{after}")


def main() -> int:
    if "--write" in sys.argv[1:]:
        write_readme_map()
        return 0
    if "--check" in sys.argv[1:]:
        if readme_map() != module_map():
            print("README.md's module map is stale: run scripts/module_map.py --write", file=sys.stderr)
            return 1
        return 0
    print(module_map())
    return 0


if __name__ == "__main__":
    sys.exit(main())
