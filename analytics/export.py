"""Chart and table export for briefings: static images, CSV, one-file HTML packs, PDF.

Static images need a Chromium. One kaleido browser is kept warm for the whole
process (about 0.3 s per image instead of 3-4 s for a cold ``fig.write_image``).

Why not ``kaleido.start_sync_server``: in kaleido 1.5 its server thread dies
silently when the browser fails to launch (ChromeNotFoundError /
BrowserFailedError are raised inside that thread), ``is_running()`` stays True,
and every later ``calc_fig_sync`` -- including plotly's own ``fig.to_image`` --
blocks forever on ``Queue.join()``. The small loop below drives the same public
``kaleido.Kaleido`` class, but launch errors reach the caller, every wait has a
timeout, and the plotly fallback is never routed into a dead server.
"""
from __future__ import annotations

import asyncio
import atexit
import html
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Literal, Sequence

import pandas as pd

CHROMIUM_HINT = "Static image export needs Chromium: sudo apt-get install -y chromium"

Format = Literal["png", "svg", "pdf"]
FORMATS: tuple[str, ...] = ("png", "svg", "pdf")

# Kaleido's own per-image limit; the outer wait is longer so kaleido reports first.
RENDER_TIMEOUT_S = 60.0
START_TIMEOUT_S = 60.0
PDF_TIMEOUT_S = 120.0

# Names choreographer (kaleido's browser driver) also looks for, in its order.
_BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")

# Flags measured to keep headless Chromium off the network and quiet (see STACK-NOTES).
_CHROMIUM_PDF_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--mute-audio",
    "--hide-scrollbars",
    "--no-pdf-header-footer",
    "--virtual-time-budget=10000",
)

# Formula prefixes Excel/LibreOffice evaluate when a CSV is opened (CSV injection).
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class ExportUnavailable(RuntimeError):
    """Static export cannot run on this machine (no usable Chromium)."""

    def __init__(self, message: str = CHROMIUM_HINT):
        super().__init__(message)


# --------------------------------------------------------------------------- browser


def _is_exe(path: str | os.PathLike | None) -> bool:
    return bool(path) and os.path.isfile(path) and os.access(path, os.X_OK)


def _browser_path() -> str | None:
    """The Chromium kaleido would use: $BROWSER_PATH, then choreographer's search."""
    if env := os.environ.get("BROWSER_PATH"):
        return env if _is_exe(env) else None
    try:
        from choreographer.browsers.chromium import Chromium

        found = Chromium.find_browser(skip_local=False)
    except Exception:  # noqa: BLE001 - a private-ish API; fall back to PATH
        found = None
    if _is_exe(found):
        return found
    for name in _BROWSER_NAMES:
        if _is_exe(candidate := shutil.which(name)):
            return candidate
    return None


def chromium_available() -> bool:
    """True when a Chromium/Chrome executable is installed where kaleido finds it."""
    return _browser_path() is not None


def _unavailable_errors() -> tuple[type[BaseException], ...]:
    """Exception types that mean "no usable browser" rather than "bad figure"."""
    try:
        from kaleido.errors import BrowserFailedError, ChromeNotFoundError
    except ImportError:  # kaleido missing entirely
        return (ImportError,)
    return (ChromeNotFoundError, BrowserFailedError)


# --------------------------------------------------------------------------- warm server


class _WarmKaleido:
    """One kaleido browser on its own event-loop thread, started lazily."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None
        self._pid: int | None = None
        self._atexit_registered = False

    @property
    def running(self) -> bool:
        return (
            self._kaleido is not None
            and self._pid == os.getpid()
            and self._thread is not None
            and self._thread.is_alive()
        )

    def _start(self, browser: str) -> None:
        import kaleido

        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="kaleido-warm", daemon=True)
        thread.start()

        async def _open() -> Any:
            # mathjax=False: the default pulls MathJax from a CDN, which offline
            # only costs a failed request per page load.
            k = kaleido.Kaleido(n=1, timeout=RENDER_TIMEOUT_S, mathjax=False, path=browser)
            await k.open()
            return k

        try:
            k = asyncio.run_coroutine_threadsafe(_open(), loop).result(START_TIMEOUT_S)
        except BaseException:
            self._stop_loop(loop, thread)
            raise
        self._loop, self._thread, self._kaleido, self._pid = loop, thread, k, os.getpid()
        if not self._atexit_registered:
            atexit.register(self.stop)
            self._atexit_registered = True

    @staticmethod
    def _stop_loop(loop: asyncio.AbstractEventLoop, thread: threading.Thread) -> None:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        if not thread.is_alive():
            loop.close()

    def render(self, fig: Any, opts: dict, browser: str) -> bytes:
        with self._lock:
            if self._pid is not None and self._pid != os.getpid():
                # Forked child: the thread and browser belong to the parent.
                self._loop = self._thread = self._kaleido = self._pid = None
            if not self.running:
                self.stop()
                self._start(browser)
            future = asyncio.run_coroutine_threadsafe(
                self._kaleido.calc_fig(fig, opts=opts), self._loop
            )
            try:
                return future.result(RENDER_TIMEOUT_S + 15)
            except TimeoutError:
                future.cancel()
                raise

    def stop(self) -> None:
        with self._lock:
            loop, thread, k = self._loop, self._thread, self._kaleido
            self._loop = self._thread = self._kaleido = self._pid = None
            if loop is None or thread is None:
                return
            if k is not None and thread.is_alive():
                try:
                    asyncio.run_coroutine_threadsafe(k.close(), loop).result(15)
                except BaseException:  # noqa: BLE001 - best effort at shutdown
                    pass
            self._stop_loop(loop, thread)


_SERVER = _WarmKaleido()


def warm_up() -> None:
    """Start the shared browser now (e.g. in a background thread at app start)."""
    browser = _browser_path()
    if browser is None:
        raise ExportUnavailable()
    with _SERVER._lock:
        if not _SERVER.running:
            try:
                _SERVER._start(browser)
            except _unavailable_errors() as exc:
                raise ExportUnavailable() from exc


def shutdown() -> None:
    """Close the shared browser (also runs at interpreter exit)."""
    _SERVER.stop()


# --------------------------------------------------------------------------- images


def figure_image(
    fig: Any,
    *,
    fmt: Format = "png",
    width: int = 1100,
    height: int = 600,
    scale: float | None = None,
) -> bytes:
    """Render a plotly figure to PNG/SVG/PDF bytes.

    ``scale`` defaults to 2 for PNG (sharp on slides) and 1 for the vector formats.
    Raises ExportUnavailable(CHROMIUM_HINT) when no Chromium can be used.
    """
    fmt = fmt.lower()  # type: ignore[assignment]
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {FORMATS}, not {fmt!r}")
    if scale is None:
        scale = 2 if fmt == "png" else 1
    opts = {"format": fmt, "width": width, "height": height, "scale": scale}

    browser = _browser_path()
    if browser is None:
        raise ExportUnavailable()
    try:
        return _SERVER.render(fig, opts, browser)
    except _unavailable_errors() as exc:
        _SERVER.stop()
        raise ExportUnavailable() from exc
    except Exception:  # noqa: BLE001 - warm browser broke; try a one-off render
        _SERVER.stop()
    return _plotly_image(fig, opts)


def _plotly_image(fig: Any, opts: dict) -> bytes:
    import plotly.io as pio

    try:
        return pio.to_image(
            fig, format=opts["format"], width=opts["width"], height=opts["height"], scale=opts["scale"]
        )
    except RuntimeError as exc:
        # plotly turns kaleido's ChromeNotFoundError into RuntimeError("Kaleido requires ... Chrome")
        if "chrome" in str(exc).lower() or "kaleido" in str(exc).lower():
            raise ExportUnavailable() from exc
        raise
    except _unavailable_errors() as exc:
        raise ExportUnavailable() from exc


# --------------------------------------------------------------------------- tables as text
# One renderer per output format, shared by the CLI (text) and the dashboard's downloads.

TEXT_FORMATS: tuple[str, ...] = ("table", "json", "csv")


def frame_table(df: pd.DataFrame) -> str:
    """Every row and column as fixed-width text for a terminal, one final newline."""
    if not len(df):
        return "(no rows)\n"
    # a draft has no symbol: show a blank, not "NaN"/"None"
    shown = df.astype(object).where(df.notna(), "")
    with pd.option_context("display.max_rows", None, "display.max_columns", None,
                           "display.width", 200, "display.max_colwidth", 60):
        return shown.to_string(index=False) + "\n"


def json_text(value: Any, *, default: Any = None) -> str:
    """Indented JSON with text as UTF-8 (no ``\\u`` escapes) and one final newline.

    A DataFrame becomes its rows as records, by pandas' own encoder (dates in ISO form);
    any other value goes through `json.dumps` (``default`` as there)."""
    if isinstance(value, pd.DataFrame):
        text = value.to_json(orient="records", force_ascii=False, indent=2, date_format="iso")
    else:
        text = json.dumps(value, ensure_ascii=False, indent=2, default=default)
    return text + "\n"


def _cell_text(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return "; ".join("" if v is None else str(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return "; ".join(sorted(str(v) for v in value))
    if hasattr(value, "tolist") and getattr(value, "ndim", 0) >= 1:  # numpy array cells
        return "; ".join(str(v) for v in value.tolist())
    return value


def _defuse_formula(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_text(df: pd.DataFrame, *, excel_safe: bool = True, lineterminator: str = "\n") -> str:
    """DataFrame as CSV text, no index.

    List/tuple/set cells are joined with "; ". With ``excel_safe`` text cells that
    start with = + - @ get a leading apostrophe, so untrusted document text cannot
    run as a spreadsheet formula; numeric columns are untouched.
    """
    out = df.copy()
    for column in out.columns:
        series = out[column]
        if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            series = series.map(_cell_text, na_action="ignore")
            if excel_safe:
                series = series.map(_defuse_formula, na_action="ignore")
            out[column] = series
    return out.to_csv(index=False, lineterminator=lineterminator)


def frame_csv(df: pd.DataFrame, *, excel_safe: bool = True) -> bytes:
    """`csv_text` as a download for analysts: UTF-8 with BOM and CRLF lines, which Excel
    detects and expects."""
    return csv_text(df, excel_safe=excel_safe, lineterminator="\r\n").encode("utf-8-sig")


def frame_text(df: pd.DataFrame, fmt: str) -> str:
    """``df`` rendered in one of `TEXT_FORMATS`."""
    if fmt not in TEXT_FORMATS:
        raise ValueError(f"fmt must be one of {TEXT_FORMATS}, not {fmt!r}")
    if fmt == "json":
        return json_text(df)
    return csv_text(df) if fmt == "csv" else frame_table(df)


# --------------------------------------------------------------------------- briefing pack


@dataclass(frozen=True)
class PackItem:
    """One section of a briefing pack: a chart, its caption and quoted sources.

    ``quotes`` is a sequence of (label, text), e.g. ("A/RES/67/189 OP5", "Urges ...").
    ``figure`` may be None for a text-only section.
    """

    title: str
    figure: Any
    caption: str
    quotes: Sequence[tuple[str, str]] = ()


PACK_CHART_HEIGHT = 460

# No network at all: the pack must open offline, and even if a string slipped
# through escaping nothing could be fetched or sent.
_CSP = (
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'unsafe-inline'; img-src data: blob:; font-src data:"
)

# Content column of 700 px fits A4 with 10 mm margins (718 px), so charts drawn
# on screen are not cropped when printed.
_PACK_CSS = """
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; box-sizing: border-box; }
@page { size: A4; margin: 10mm; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #1d2733;
       margin: 0; background: #fff; line-height: 1.45; font-size: 14px; }
main { max-width: 700px; margin: 0 auto; padding: 16px 0; }
h1 { font-size: 24px; margin: 0 0 4px; }
.subtitle { color: #4a5868; margin: 0 0 20px; }
section.item { margin: 0 0 28px; }
section.item + section.item { break-before: page; }
h2 { font-size: 18px; margin: 0 0 8px; border-bottom: 1px solid #d5dbe1; padding-bottom: 4px; }
figure { margin: 0 0 8px; break-inside: avoid; }
figcaption { color: #4a5868; font-size: 13px; margin-top: 4px; white-space: pre-wrap; }
blockquote { margin: 8px 0; padding: 6px 10px; border-left: 3px solid #5b8db8; background: #f4f7fa;
             break-inside: avoid; }
blockquote .label { font-weight: bold; font-size: 12px; color: #34495e; margin: 0 0 2px; }
blockquote .text { margin: 0; white-space: pre-wrap; }
@media print { .modebar-container { display: none !important; } main { padding: 0; } }
"""


def _esc(text: Any) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _chart_html(figure: Any, div_id: str) -> str:
    import plotly.graph_objects as go

    fig = go.Figure(figure)  # a copy: the caller's figure keeps its own size
    height = fig.layout.height or PACK_CHART_HEIGHT
    fig.update_layout(width=None, height=height, autosize=True)
    return fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        include_mathjax=False,
        div_id=div_id,
        default_width="100%",
        default_height=f"{height}px",
        config={"displaylogo": False, "responsive": True, "showSendToCloud": False},
    )


def _plotlyjs_head() -> str:
    from plotly.offline import get_plotlyjs

    return (
        '<script type="text/javascript">window.PlotlyConfig = {MathJaxConfig: "local"};</script>\n'
        f'<script type="text/javascript">{get_plotlyjs()}</script>'
    )


def briefing_pack_html(items: Iterable[PackItem], *, title: str, subtitle: str | None = None) -> str:
    """One self-contained HTML file (plotly.js inlined once) that opens offline.

    All text (titles, captions, quotes) is HTML-escaped: it comes from documents.
    """
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_esc(title)}</title>",
        f"<style>{_PACK_CSS}</style>",
        _plotlyjs_head(),
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{_esc(title)}</h1>",
    ]
    if subtitle:
        parts.append(f'<p class="subtitle">{_esc(subtitle)}</p>')
    for number, item in enumerate(items, start=1):
        parts.append(f'<section class="item" id="item-{number}">')
        parts.append(f"<h2>{_esc(item.title)}</h2>")
        if item.figure is not None or item.caption:
            parts.append("<figure>")
            if item.figure is not None:
                parts.append(_chart_html(item.figure, f"chart-{number}"))
            if item.caption:
                parts.append(f"<figcaption>{_esc(item.caption)}</figcaption>")
            parts.append("</figure>")
        for label, text in item.quotes:
            parts.append(
                f'<blockquote><p class="label">{_esc(label)}</p>'
                f'<p class="text">{_esc(text)}</p></blockquote>'
            )
        parts.append("</section>")
    parts += ["</main>", "</body>", "</html>", ""]
    return "\n".join(parts)


def briefing_pack_pdf(pack_html: str, *, timeout: float = PDF_TIMEOUT_S) -> bytes:
    """Print a briefing pack (from briefing_pack_html) to PDF with headless Chromium."""
    browser = _browser_path()
    if browser is None:
        raise ExportUnavailable()
    with tempfile.TemporaryDirectory(prefix="briefing-pdf-") as tmp:
        tmp_dir = Path(tmp)
        page = tmp_dir / "pack.html"
        page.write_text(pack_html, encoding="utf-8")
        out = tmp_dir / "pack.pdf"
        returncode, stderr = _run_chromium(_print_command(browser, page, out, profile=tmp_dir / "profile"),
                                           timeout=timeout)
        return _printed_pdf(out, returncode, stderr)


def _print_command(browser: str, page: Path, out: Path, *, profile: Path) -> list[str]:
    # A throwaway profile: never touch the user's ~/.config/chromium.
    return [browser, *_CHROMIUM_PDF_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={out}",
            page.as_uri()]


def _run_chromium(cmd: list[str], *, timeout: float) -> tuple[int, bytes]:
    """Run Chromium to completion: its exit code and stderr; killed with its renderers on timeout."""
    try:
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # own process group: a timeout kills renderers too
        )
    except (FileNotFoundError, PermissionError) as exc:
        raise ExportUnavailable() from exc
    try:
        _, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise TimeoutError(f"Chromium did not finish printing the PDF within {timeout:.0f} s") from None
    return proc.returncode, stderr


def _printed_pdf(out: Path, returncode: int, stderr: bytes) -> bytes:
    data = out.read_bytes() if out.is_file() else b""
    if not data.startswith(b"%PDF"):
        tail = stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise RuntimeError(f"Chromium exited with {returncode} without a PDF: " + " | ".join(tail))
    return data
