"""The world map of the directory, drawn by pygal's world map (pygal-maps-world) and made
light enough for a phone: its country outlines are about 780 kB of curves, far finer than
a map 760 px wide can show, so each outline is redrawn as straight segments through the
curves' end points and simplified (Ramer–Douglas–Peucker) to what the eye can tell apart —
about a tenth of the size, the same picture. Countries are shaded by the number of
initiatives and each links to the directory filtered on it."""

import math
import re
from collections.abc import Mapping
from functools import cache

from pygal_maps_world.maps import World

from fundflow.web.charts import strip_scripts_and_styles

_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?")
_COMMAND = re.compile(r"([mMcCsSlLhHvVzZ])([^mMcCsSlLhHvVzZ]*)")
_PATH_ELEMENT = re.compile(r'<path d="([^"]+)"([^>]*)/>')
_BETWEEN_TAGS = re.compile(r">\s+<")
# Numbers each command takes per segment, and which of them is the end point.
_ARITY = {"c": 6, "s": 4, "l": 2, "m": 2}
TOLERANCE = 2.5  # map units; the map is 2475 units across, drawn 760 px wide


def _polylines(d: str) -> list[list[tuple[float, float]]]:
    """The path's sub-paths as the points its segments end on (absolute)."""
    lines: list[list[tuple[float, float]]] = []
    x = y = 0.0
    for command, args in _COMMAND.findall(d):
        numbers = [float(n) for n in _NUMBER.findall(args)]
        relative = command.islower()
        kind = command.lower()
        if kind == "z":
            continue
        if kind in ("h", "v"):
            for n in numbers:
                if kind == "h":
                    x = x + n if relative else n
                else:
                    y = y + n if relative else n
                lines[-1].append((x, y))
            continue
        step = _ARITY[kind]
        for i in range(0, len(numbers) - step + 1, step):
            ex, ey = numbers[i + step - 2], numbers[i + step - 1]
            x, y = (x + ex, y + ey) if relative else (ex, ey)
            if kind == "m" and i == 0:
                lines.append([(x, y)])
            else:
                lines[-1].append((x, y))
    return lines


def _simplified(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Ramer–Douglas–Peucker, iteratively (an outline may have thousands of points)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        length = math.hypot(x2 - x1, y2 - y1) or 1e-9
        far, index = 0.0, first
        for i in range(first + 1, last):
            x0, y0 = points[i]
            distance = abs((x2 - x1) * (y1 - y0) - (x1 - x0) * (y2 - y1)) / length
            if distance > far:
                far, index = distance, i
        if far > TOLERANCE:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def _light(d: str) -> str:
    parts = []
    for line in _polylines(d):
        points = list(dict.fromkeys((round(x), round(y)) for x, y in _simplified(line)))
        if len(points) < 3:  # an islet smaller than a pixel
            continue
        head, *rest = points
        parts.append(f"M{head[0]} {head[1]}" + "".join(f"L{x} {y}" for x, y in rest))
    return "".join(parts)


@cache
def _lightened(svg: str) -> str:
    lightened = _PATH_ELEMENT.sub(
        lambda m: f'<path d="{light}"{m.group(2)}/>' if (light := _light(m.group(1))) else "",
        svg,
    )
    return _BETWEEN_TAGS.sub("><", lightened)


def world_map(counts: Mapping[str, int], link: str, label: str) -> str:
    """The map as an SVG document: ``counts`` per ISO country code, each country linking
    to ``link`` with its code put in (``{code}``); ``label`` names the series."""
    chart = World(
        js=[],
        css=[],
        disable_xml_declaration=True,
        no_prefix=True,
        show_legend=False,
        width=760,
        height=420,
        margin=0,
    )
    chart.add(
        label,
        [
            {
                "value": (code.lower(), count),
                "xlink": {"href": link.format(code=code), "target": "_top"},
            }
            for code, count in sorted(counts.items())
        ],
    )
    svg = strip_scripts_and_styles(chart.render(is_unicode=True))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<?xml-stylesheet type="text/css" href="/static/web/map.css"?>\n' + _lightened(svg)
    )
