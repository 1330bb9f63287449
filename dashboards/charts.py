"""Charts as inline SVG generated on the server: no JavaScript, no CDN, printable.

Every chart is decorative for assistive technology where its numbers sit in HTML next to it
(bars inside table rows are ``aria-hidden``); a standalone chart (line, columns) carries
``role="img"`` and an ``aria-label`` summary, and its template puts the data table beside it.
Colours come from CSS classes (``band-excellent`` …, ``series-0`` …) in
``dashboards/public.css``, so print styles and high-contrast themes can change them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

Number = int | float | Decimal


def _x(value: float) -> str:
    """Coordinates with two decimals, dot-separated whatever the language."""
    return f"{value:.2f}"


# --------------------------------------------------------------------------------------------
# Horizontal bars that live inside table rows or list items.


def stacked_bar(segments: Sequence[tuple[str, int | None]], total: int) -> SafeString:
    """A 100 % bar of band counts; hidden counts are drawn together as one grey "hidden" part
    (their sum is public anyway: the row total minus the shown counts)."""
    if not total:
        return mark_safe("")
    parts, offset = [], 0.0
    shown = 0
    for band, value in segments:
        if value is None or value == 0:
            continue
        width = 100.0 * value / total
        parts.append((_x(offset), _x(width), f"band-{band}"))
        offset += width
        shown += value
    if shown < total:
        parts.append((_x(offset), _x(100.0 - offset), "band-hidden"))
    rects = format_html_join(
        "", '<rect x="{}" y="0" width="{}" height="10" class="{}"></rect>', parts
    )
    return format_html(
        '<svg class="stack" viewBox="0 0 100 10" preserveAspectRatio="none" '
        'aria-hidden="true" focusable="false">{}</svg>',
        rects,
    )


def value_bar(value: Number | None, maximum: Number, reference: Number | None = None):
    """One bar scaled to ``maximum`` with an optional reference tick (e.g. a group average)."""
    if value is None or not maximum:
        bar = ""
    else:
        bar = format_html(
            '<rect x="0" y="1" width="{}" height="8" class="bar"></rect>',
            _x(min(100.0, 100.0 * float(value) / float(maximum))),
        )
    tick = ""
    if reference is not None and maximum:
        tick = format_html(
            '<line x1="{0}" x2="{0}" y1="0" y2="10" class="reference"></line>',
            _x(min(100.0, 100.0 * float(reference) / float(maximum))),
        )
    return format_html(
        '<svg class="value-bar" viewBox="0 0 100 10" preserveAspectRatio="none" '
        'aria-hidden="true" focusable="false">{}{}</svg>',
        bar,
        tick,
    )


# --------------------------------------------------------------------------------------------
# Standalone charts.

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 74, 40, 14, 44


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Number | None]


def _y_range(values: Sequence[Number]) -> tuple[int, int]:
    low = min(values) if values else 50
    floor = max(0, min(50, int(float(low) // 10) * 10))
    return floor, 100


def _x_positions(count: int) -> list[float]:
    inner = WIDTH - LEFT - RIGHT
    if count == 1:
        return [LEFT + inner / 2]
    return [LEFT + inner * i / (count - 1) for i in range(count)]


def _axis_labels(labels: Sequence[str], xs: Sequence[float], edges: bool = False):
    """Period labels under the x axis, at most ~6 so they stay readable on a phone; with
    ``edges`` the first and last are aligned inwards (points sit on the plot's borders)."""
    step = max(1, (len(labels) + 5) // 6)
    last = len(labels) - 1

    def anchor(i: int) -> str:
        if edges and last > 0 and i in (0, last):
            return "start" if i == 0 else "end"
        return "middle"

    return format_html_join(
        "",
        '<text x="{}" y="{}" class="axis-label" text-anchor="{}">{}</text>',
        (
            (_x(x), HEIGHT - BOTTOM + 28, anchor(i), label)
            for i, (x, label) in enumerate(zip(xs, labels, strict=True))
            if i % step == 0 or i == last
        ),
    )


def line_chart(labels: Sequence[str], series: Sequence[Series], summary: str) -> SafeString:
    """Lines over periods on a 0–100 score scale (gaps where a value is hidden or missing)."""
    values = [v for s in series for v in s.values if v is not None]
    low, high = _y_range(values)
    inner_h = HEIGHT - TOP - BOTTOM
    xs = _x_positions(len(labels))

    def y(value) -> float:
        return TOP + inner_h * (high - float(value)) / (high - low)

    grid = format_html_join(
        "",
        '<line x1="{0}" x2="{1}" y1="{2}" y2="{2}" class="grid"></line>'
        '<text x="{3}" y="{4}" class="axis-label" text-anchor="end">{5}</text>',
        (
            (LEFT, WIDTH - RIGHT, _x(y(t)), LEFT - 6, _x(y(t) + 4), t)
            for t in range(low, high + 1, 10)
        ),
    )
    lines = []
    for index, item in enumerate(series):
        runs: list[list[tuple[float, float]]] = []
        run: list[tuple[float, float]] = []
        for x, value in zip(xs, item.values, strict=True):
            if value is None:
                if run:
                    runs.append(run)
                run = []
            else:
                run.append((x, y(value)))
        if run:
            runs.append(run)
        for run in runs:
            points = " ".join(f"{_x(px)},{_x(py)}" for px, py in run)
            lines.append(
                format_html(
                    '<polyline points="{}" class="line series-{}"></polyline>', points, index
                )
            )
            lines.extend(
                format_html(
                    '<circle cx="{}" cy="{}" r="4" class="dot series-{}"></circle>',
                    _x(px),
                    _x(py),
                    index,
                )
                for px, py in run
            )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}">{}{}{}</svg>',
        WIDTH,
        HEIGHT,
        summary,
        grid,
        _axis_labels(labels, xs, edges=True),
        mark_safe("".join(lines)),  # noqa: S308 - each part built with format_html
    )


def stacked_columns(
    labels: Sequence[str],
    columns: Sequence[tuple[Sequence[tuple[str, int | None]], int]],
    summary: str,
) -> SafeString:
    """One 100 % column of band counts per period; hidden counts drawn as one grey part."""
    inner_w = WIDTH - LEFT - RIGHT
    inner_h = HEIGHT - TOP - BOTTOM
    slot = inner_w / max(1, len(labels))
    width = min(48.0, slot * 0.6)
    xs = [LEFT + slot * (i + 0.5) for i in range(len(labels))]
    rects = []
    for x, (segments, total) in zip(xs, columns, strict=True):
        if not total:
            continue
        top = float(TOP + inner_h)
        shown = 0
        for band, value in segments:
            if not value:
                continue
            height = inner_h * value / total
            top -= height
            shown += value
            rects.append((_x(x - width / 2), _x(top), _x(width), _x(height), f"band-{band}"))
        if shown < total:
            rects.append((_x(x - width / 2), _x(TOP), _x(width), _x(top - TOP), "band-hidden"))
    grid = format_html_join(
        "",
        '<line x1="{0}" x2="{1}" y1="{2}" y2="{2}" class="grid"></line>'
        '<text x="{3}" y="{4}" class="axis-label" text-anchor="end">{5}%</text>',
        (
            (
                LEFT,
                WIDTH - RIGHT,
                _x(TOP + inner_h * (100 - t) / 100),
                LEFT - 6,
                _x(TOP + inner_h * (100 - t) / 100 + 4),
                t,
            )
            for t in range(0, 101, 25)
        ),
    )
    bars = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" class="{}"></rect>',
        rects,
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}">{}{}{}</svg>',
        WIDTH,
        HEIGHT,
        summary,
        grid,
        bars,
        _axis_labels(labels, xs),
    )
