"""URL state and widget binding.

Every setting that defines a view is a `Param`.  On the first run of a browser session the
settings are read from ``st.query_params``; afterwards the session's own store
(``st.session_state[STATE]``) is the truth and the URL is rewritten at the end of each run
(`sync_query_params`), so copying the URL reopens the same view.  Global params (filters and
the comparison pair) are always in the URL; page params only on their page.  Default values
are left out to keep URLs short.

Widgets use a separate key (``w_<name>``) seeded from the store, because Streamlit forgets a
widget's state on pages where it is not drawn while the store survives page changes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import streamlit as st

STATE = "_ui_state"
USED = "_ui_used"
KINDS = ("resolution", "draft")
KIND_LABELS = {"resolution": "adopted", "draft": "draft"}


def _parse_range(s: str):
    m = re.fullmatch(r"\s*(\d{1,4})\s*(?:[-–:]\s*(\d{1,4}))?\s*", s or "")
    if not m:
        return None
    lo = int(m.group(1))
    hi = int(m.group(2) or lo)
    return (min(lo, hi), max(lo, hi))


def _dump_range(v) -> str:
    return f"{v[0]}-{v[1]}"


def _parse_list(s: str):
    return tuple(x for x in (p.strip() for p in (s or "").split(",")) if x)


def _parse_kinds(s: str):
    """Known kinds only; unknown words fall back to the default (an empty value means none)."""
    wanted = _parse_list(s)
    kinds = tuple(k for k in KINDS if k in wanted)
    return kinds if kinds or not wanted else None


def _dump_list(v) -> str:
    return ",".join(v)


def _parse_str(s: str):
    return (s or "").strip()[:200] or None


@dataclass(frozen=True)
class Param:
    name: str
    default: Any
    parse: Callable[[str], Any]
    dump: Callable[[Any], str]
    scope: str = "page"          # "global": always in the URL


PARAMS: dict[str, Param] = {p.name: p for p in (
    Param("series", None, _parse_str, str, "global"),
    Param("sessions", None, _parse_range, _dump_range, "global"),
    Param("kind", KINDS, _parse_kinds, _dump_list, "global"),
    Param("themes", (), _parse_list, _dump_list, "global"),
    Param("a", None, _parse_str, str, "global"),
    Param("b", None, _parse_str, str, "global"),
    Param("value", "count", _parse_str, str),
    Param("term", None, _parse_str, str),
    Param("status", ("carried", "amended", "new", "dropped"), _parse_list, _dump_list),
    Param("doc", None, _parse_str, str),
    Param("theme", None, _parse_str, str),
    Param("q", None, _parse_str, str),
    Param("direction", (), _parse_list, _dump_list),
    Param("cited", None, _parse_str, str),
)}


def _store() -> dict:
    if STATE not in st.session_state:
        stored = {}
        for name, p in PARAMS.items():
            raw = st.query_params.get(name)
            if raw is not None:
                value = p.parse(raw)
                if value is not None:
                    stored[name] = value
        st.session_state[STATE] = stored
    return st.session_state[STATE]


def begin_run() -> None:
    """Call once at the top of the entry script."""
    _store()
    st.session_state[USED] = set()


def get(name: str) -> Any:
    return _store().get(name, PARAMS[name].default)


def put(name: str, value: Any) -> None:
    _store()[name] = value
    st.session_state.setdefault(USED, set()).add(name)


def sync_query_params() -> None:
    """Write the current view's settings into the URL (end of each run)."""
    used = st.session_state.get(USED, set())
    for name, p in PARAMS.items():
        value = get(name)
        want = None
        if (p.scope == "global" or name in used) and value is not None and value != p.default:
            want = p.dump(value)
        have = st.query_params.get(name)
        if want is None and have is not None:
            del st.query_params[name]
        elif want is not None and want != have:
            st.query_params[name] = want


def bound(name: str, widget: Callable[..., Any], *, coerce: Callable[[Any], Any] = lambda v: v,
          seed: str | None = None, key: str | None = None, **kwargs) -> Any:
    """Draw ``widget`` (e.g. st.selectbox) bound to the persistent setting ``name``.

    The widget's value is (re)assigned through Session State on every run: the browser's
    latest value when the widget exists, else the stored setting.  Re-assigning keeps the
    choice when the widget's identity changes (its option labels carry counts, or another
    page draws the same setting).  ``seed``: instead pass the value as this keyword (e.g.
    "value" for a range slider, whose kind depends on it and whose identity is its key alone).
    """
    key = key or f"w_{name}"
    present = key in st.session_state
    current = st.session_state[key] if present else get(name)
    if seed:
        kwargs[seed] = coerce(current)
    else:
        st.session_state[key] = coerce(current)
    value = widget(key=key, **kwargs)
    put(name, value)
    return value


def choose(name: str, label: str, options: Sequence, *, default=None, format_func=str,
           container=None, **kwargs):
    """A selectbox over ``options`` bound to ``name``; unknown stored values fall back to default."""
    options = list(options)
    if not options:
        return None
    fallback = default if default in options else options[0]
    box = container or st
    return bound(name, box.selectbox, coerce=lambda v: v if v in options else fallback,
                 label=label, options=options, format_func=format_func, **kwargs)


def pick(name: str, widget: Callable[..., Any], allowed: Sequence, *, ordered: bool = False,
         **kwargs) -> list:
    """A multi-choice widget bound to ``name``; stored values outside ``allowed`` are dropped.
    Returns the widget's list; stores it as a tuple, in ``allowed``'s order when ``ordered``
    (so the URL of the same choice does not depend on the clicks that made it)."""
    chosen = bound(name, widget, coerce=lambda v: [x for x in (v or ()) if x in allowed], **kwargs)
    put(name, tuple(x for x in allowed if x in chosen) if ordered else tuple(chosen))
    return chosen
