"""List the Wagtail admin strings that Wagtail's own Vietnamese catalogues leave untranslated.

Wagtail ships a ``locale/en`` catalogue (every msgid, empty msgstr) in each package that has
strings, and a ``locale/vi`` one that translates only a fraction of them. Our project catalogue
``locale/vi/LC_MESSAGES/{django,djangojs}.po`` (first in ``LOCALE_PATHS``, so it takes priority)
fills the gap. Run this after a Wagtail upgrade to see what is new::

    .venv/bin/python scripts/wagtail_vi_missing.py                # per-package counts
    .venv/bin/python scripts/wagtail_vi_missing.py --list         # ... and the missing msgids
    .venv/bin/python scripts/wagtail_vi_missing.py --todo         # only what locale/vi lacks too
    .venv/bin/python scripts/wagtail_vi_missing.py --todo --po > /tmp/todo.po   # .po skeleton

A msgid counts as missing when no Wagtail ``vi`` catalogue of the same domain translates it
(Django merges all catalogues of a domain, so a translation in any package is used everywhere).
Only the standard library is used; the .po parser understands what Wagtail's catalogues contain.
"""

from __future__ import annotations

import argparse
import ast
import sys
from dataclasses import dataclass, field
from pathlib import Path

import wagtail

ROOT = Path(__file__).resolve().parent.parent
PROJECT_LOCALE = ROOT / "locale" / "vi" / "LC_MESSAGES"
DOMAINS = ("django", "djangojs")


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    fuzzy: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def translated(self) -> bool:
        return not self.fuzzy and bool(self.msgstr) and all(self.msgstr.values())


def parse_po(path: Path) -> list[Entry]:
    """Parse a gettext catalogue, skipping the header entry (empty msgid) and obsolete ones."""
    entries: list[Entry] = []
    entry, target = Entry(), None

    def finish() -> None:
        nonlocal entry, target
        if entry.msgid:
            entries.append(entry)
        entry, target = Entry(), None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#~"):
            if target is not None and not line:
                finish()
            continue
        if line.startswith("#"):
            if target is not None and target != "comment":
                finish()
            if line.startswith("#,"):
                flags = [f.strip() for f in line[2:].split(",") if f.strip()]
                entry.fuzzy = entry.fuzzy or "fuzzy" in flags
                entry.flags += [f for f in flags if f != "fuzzy"]
            elif line.startswith("#:"):
                entry.references += line[2:].split()
            target = "comment"
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            value = ast.literal_eval(line)
            keyword = target
        else:
            value = ast.literal_eval(rest)
            if keyword in ("msgctxt", "msgid") and target not in (None, "comment", "msgctxt"):
                finish()
            target = keyword
        if keyword == "msgctxt":
            entry.msgctxt = (entry.msgctxt or "") + value
        elif keyword == "msgid":
            entry.msgid += value
        elif keyword == "msgid_plural":
            entry.msgid_plural = (entry.msgid_plural or "") + value
        elif keyword == "msgstr":
            entry.msgstr[0] = entry.msgstr.get(0, "") + value
        elif keyword and keyword.startswith("msgstr["):
            index = int(keyword[7:-1])
            entry.msgstr[index] = entry.msgstr.get(index, "") + value
    finish()
    return entries


def wagtail_packages(domain: str) -> dict[str, Path]:
    """Map a package label (``wagtail.admin``) to its English catalogue for ``domain``."""
    base = Path(wagtail.__file__).resolve().parent
    found = {}
    for po in sorted(base.glob(f"**/locale/en/LC_MESSAGES/{domain}.po")):
        package = po.parents[3].relative_to(base.parent)
        found[".".join(package.parts)] = po
    return found


def missing_by_package(domain: str) -> dict[str, list[Entry]]:
    """Entries of each package's English catalogue that no Wagtail ``vi`` catalogue translates."""
    sources = wagtail_packages(domain)
    translated: set[tuple[str | None, str]] = set()
    for en_po in sources.values():
        vi_po = en_po.parents[2] / "vi" / "LC_MESSAGES" / en_po.name
        if vi_po.exists():
            translated |= {e.key for e in parse_po(vi_po) if e.translated}
    seen: set[tuple[str | None, str]] = set()
    result = {}
    for package, en_po in sources.items():
        entries = [e for e in parse_po(en_po) if e.key not in translated and e.key not in seen]
        seen |= {e.key for e in entries}
        result[package] = entries
    return result


def quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    lines = escaped.split("\n")
    parts = [part + "\\n" for part in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    if len(parts) == 1:
        return f'"{parts[0]}"'
    return '""\n' + "\n".join(f'"{part}"' for part in parts)


def format_entry(entry: Entry, package: str) -> str:
    out = [f"#. {package}"]
    if entry.flags:
        out.append("#, " + ", ".join(entry.flags))
    if entry.msgctxt is not None:
        out.append(f"msgctxt {quote(entry.msgctxt)}")
    out.append(f"msgid {quote(entry.msgid)}")
    if entry.msgid_plural is not None:
        out += [f"msgid_plural {quote(entry.msgid_plural)}", 'msgstr[0] ""']
    else:
        out.append('msgstr ""')
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--domain", choices=DOMAINS, action="append", help="default: both")
    parser.add_argument("--list", action="store_true", help="print the missing msgids")
    parser.add_argument(
        "--todo", action="store_true", help="leave out what locale/vi already translates"
    )
    parser.add_argument("--po", action="store_true", help="print a .po skeleton of the entries")
    args = parser.parse_args(argv)

    total = 0
    for domain in args.domain or DOMAINS:
        project_po = PROJECT_LOCALE / f"{domain}.po"
        done: set[tuple[str | None, str]] = set()
        if args.todo and project_po.exists():
            done = {e.key for e in parse_po(project_po) if e.translated}
        for package, entries in missing_by_package(domain).items():
            entries = [e for e in entries if e.key not in done]
            total += len(entries)
            if args.po:
                for entry in entries:
                    print(format_entry(entry, package), end="\n\n")
                continue
            print(f"{domain:9} {package:35} {len(entries):5} missing")
            if args.list:
                for entry in entries:
                    context = f"[{entry.msgctxt}] " if entry.msgctxt else ""
                    print(f"    {context}{entry.msgid!r}")
    if not args.po:
        print(f"total: {total}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
