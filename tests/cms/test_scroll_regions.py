"""Every box that scrolls sideways can be reached and scrolled with the keyboard and is named
for a screen reader (axe ``scrollable-region-focusable``, review 2026-11-25 §4: the explanation
page's table). The class of the finding: any template element that scrolls — by an inline
``overflow: auto/scroll`` or by a class the project's style sheets make scroll — carries
``tabindex="0"``, ``role="region"`` and a name (``aria-label`` or ``aria-labelledby``)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCROLLS = re.compile(r"overflow(?:-x|-y)?\s*:\s*(?:auto|scroll)")


def project_files(pattern: str):
    for path in ROOT.rglob(pattern):
        parts = path.relative_to(ROOT).parts
        if parts[0] in {".venv", "node_modules", "tests", "staticfiles", ".git"}:
            continue
        yield path


def scrolling_classes() -> set[str]:
    """The classes the project's style sheets make scroll (``.kpi-scroll``, ``.table-wrap``)."""
    found = set()
    for css in project_files("*.css"):
        for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", css.read_text("utf-8")):
            if SCROLLS.search(body):
                for selector in selectors.split(","):
                    last = selector.strip().split()[-1] if selector.strip() else ""
                    found.update(re.findall(r"\.([\w-]+)", last))
    return found


def scrolling_tags(html: str, classes: set[str]) -> list[str]:
    tags = []
    for tag in re.findall(r"<[a-z][a-z0-9]*\b[^>]*>", html, re.S):
        style = re.search(r'style="([^"]*)"', tag)
        names = re.search(r'class="([^"]*)"', tag)
        if (style and SCROLLS.search(style.group(1))) or (
            names and classes & set(names.group(1).split())
        ):
            tags.append(tag)
    return tags


def test_the_style_sheets_name_the_scrolling_classes():
    assert {"kpi-scroll", "table-wrap", "position"} <= scrolling_classes()


def test_every_scrolling_box_is_reachable_and_named():
    classes = scrolling_classes()
    problems = []
    for template in project_files("*.html"):
        for tag in scrolling_tags(template.read_text("utf-8"), classes):
            missing = [
                need
                for need, pattern in (
                    ('tabindex="0"', r'tabindex="0"'),
                    ('role="region"', r'role="region"'),
                    ("aria-label/aria-labelledby", r"aria-label(?:ledby)?=\"[^\"]+\""),
                )
                if not re.search(pattern, tag)
            ]
            if missing:
                problems.append(f"{template.relative_to(ROOT)}: {tag} lacks {', '.join(missing)}")
    assert not problems, "\n".join(problems)
