"""The report's charts as PNG, drawn with matplotlib (Agg, no pyplot) in the print layout's CJK font.

plotly's PNG export needs kaleido and a Chrome; the report draws its few bar and line charts here instead.
Labels come in the reader's language from the caller; a chart of nothing is not drawn (the caller skips it).
"""
from __future__ import annotations

import io
import warnings
from collections.abc import Sequence

from services.map.export_png import font_families

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#7f7f7f")
WIDTH_IN, HEIGHT_IN, DPI = 6.4, 3.0, 150


def _canvas(height_in: float = HEIGHT_IN):
    # matplotlib only when drawing
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    fig = Figure(figsize=(WIDTH_IN, height_in), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)  # no global pyplot state: safe in a server thread
    return fig


def _png(draw, height_in: float = HEIGHT_IN) -> bytes:
    import matplotlib
    with matplotlib.rc_context({"font.family": list(font_families()), "axes.unicode_minus": False,
                                "font.size": 8}), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")
        fig = _canvas(height_in)
        ax = fig.add_subplot(1, 1, 1)
        draw(ax)
        ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def stacked_bars(labels: Sequence[str], series: dict[str, Sequence[float]], *, title: str, ylabel: str) -> bytes:
    """Bars over ``labels`` (months), one stacked colour per series (categories), with a legend."""
    def draw(ax):
        bottom = [0.0] * len(labels)
        for n, (name, values) in enumerate(series.items()):
            ax.bar(labels, values, bottom=bottom, label=name, color=PALETTE[n % len(PALETTE)], width=0.6)
            bottom = [b + v for b, v in zip(bottom, values)]
        ax.set_title(title, loc="left", fontsize=10)
        ax.set_ylabel(ylabel)
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.legend(fontsize=7, frameon=False, ncols=min(4, max(1, len(series))))
        ax.tick_params(axis="x", labelrotation=45 if len(labels) > 6 else 0)
    return _png(draw)


def bars(labels: Sequence[str], values: Sequence[float], *, title: str, xlabel: str,
         colours: Sequence[str] | None = None, xmax: float | None = None) -> bytes:
    """Horizontal bars, one per label (team kinds, warning levels), with the value written at each bar's end;
    the axis runs from 0 to ``xmax`` (default: a little past the largest value)."""
    def draw(ax):
        ax.set_xlim(0, xmax if xmax is not None else max(1.0, 1.15 * max(values, default=0)))
        ax.barh(list(labels), list(values), color=list(colours) if colours else PALETTE[0], height=0.6)
        ax.invert_yaxis()
        for y, value in enumerate(values):
            ax.text(value, y, f" {value:g}", va="center", fontsize=7)
        ax.set_title(title, loc="left", fontsize=10)
        ax.set_xlabel(xlabel)
    return _png(draw, height_in=max(1.8, 0.35 * len(labels) + 1.0))


def daily(days: Sequence[str], values: Sequence[float], *, title: str, ylabel: str) -> bytes:
    """One value per day as bars, dates on the axis thinned to about ten labels."""
    def draw(ax):
        positions = range(len(days))
        ax.bar(positions, values, color=PALETTE[2], width=0.8)
        step = max(1, len(days) // 10)
        ax.set_xticks(list(positions)[::step], [d[5:] for d in days][::step], rotation=45)
        ax.set_title(title, loc="left", fontsize=10)
        ax.set_ylabel(ylabel)
        ax.yaxis.get_major_locator().set_params(integer=True)
    return _png(draw)
