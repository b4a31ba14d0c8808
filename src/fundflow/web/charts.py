"""Charts drawn on the server as SVG by pygal, for pages that work without JavaScript.

pygal writes a script and a style sheet into each chart; the pages' content security
policy runs neither, so both are taken out and the chart is styled by ``fundflow.css``
(``.chart``). The chart is a picture of the table printed beside it: it is hidden from
screen readers, which read the figure's caption and the table instead.
"""

import re
from collections.abc import Sequence
from decimal import Decimal

import pygal
from markupsafe import Markup

_SCRIPTED = re.compile(r"<script.*?</script>|<style.*?</style>|<!--.*?-->|<title>.*?</title>", re.S)
_INLINE_STYLE = re.compile(r' style="[^"]*"| id=""')
MAX_BARS = 12


def bar_chart(labels: Sequence[str], series: dict[str, Sequence[Decimal]]) -> Markup:
    """Horizontal bars, one group per label, one bar per series (at most ``MAX_BARS``
    groups: the table beside it holds them all)."""
    shown = list(labels[:MAX_BARS])
    chart = pygal.HorizontalBar(
        js=[],
        css=[],
        disable_xml_declaration=True,
        no_prefix=True,
        width=800,
        height=120 + 44 * max(len(shown), 1),
        legend_at_bottom=True,
        legend_at_bottom_columns=len(series),
        truncate_label=40,
        show_y_guides=False,
    )
    chart.x_labels = shown
    for name, values in series.items():
        chart.add(name, [float(v) for v in values[:MAX_BARS]])
    svg = strip_scripts_and_styles(chart.render(is_unicode=True))
    return Markup(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))


def strip_scripts_and_styles(svg: str) -> str:
    """pygal's SVG without its script, style sheet, inline styles and comments."""
    return _INLINE_STYLE.sub("", _SCRIPTED.sub("", svg))
