#!/usr/bin/env python3
"""The shell blocks of docs/operations.md that make up the recipe, extracted as written.

A block belongs to the recipe when its fence's info string is ``sh recipe=NAME``:

    ```sh recipe=packages
    apt-get install ...
    ```

(Markdown shows it as an ordinary ``sh`` block.) Blocks indented inside a list item lose that
indentation and nothing else: no line is rewritten. ``scripts/ci-recipe.sh`` runs them, in the
order it names them, on a fresh Debian 12 root, so a step that does not work as written fails CI.

    python3 scripts/recipe.py --list                  # the names, in the document's order
    python3 scripts/recipe.py packages                # one block's text
    python3 scripts/recipe.py --doc other.md NAME

Standard library only (it runs before any virtualenv exists).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "operations.md"
FENCE = re.compile(r"^(?P<indent>[ ]*)(?P<fence>```+)(?P<info>.*)$")
NAME = re.compile(r"(?:^|\s)recipe=(?P<name>[a-z0-9][a-z0-9-]*)(?:\s|$)")


def blocks(text: str) -> dict[str, str]:
    """Every recipe block of ``text`` by name, in the document's order."""
    found: dict[str, str] = {}
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        indent, fence, info = match["indent"], match["fence"], match["info"].strip()
        body: list[str] = []
        i += 1
        while i < len(lines) and lines[i].strip() != fence:
            line = lines[i]
            if line.strip() and not line.startswith(indent):
                raise SystemExit(f"recipe: line {i + 1} is less indented than its fence")
            body.append(line[len(indent) :])
            i += 1
        if i == len(lines):
            raise SystemExit("recipe: a fenced block is never closed")
        i += 1
        named = NAME.search(info)
        if named is None:
            continue
        if not info.startswith("sh "):
            raise SystemExit(f"recipe: block {named['name']} is not marked sh")
        if named["name"] in found:
            raise SystemExit(f"recipe: two blocks are named {named['name']}")
        found[named["name"]] = "\n".join(body) + "\n"
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--doc", type=Path, default=DOC)
    parser.add_argument("--list", action="store_true", help="print the blocks' names")
    parser.add_argument("names", nargs="*")
    args = parser.parse_args(argv)
    found = blocks(args.doc.read_text(encoding="utf-8"))
    if args.list:
        print("\n".join(found))
        return 0
    for name in args.names:
        if name not in found:
            print(f"recipe: {args.doc} has no block recipe={name}", file=sys.stderr)
            return 1
        sys.stdout.write(found[name])
    return 0


if __name__ == "__main__":
    sys.exit(main())
