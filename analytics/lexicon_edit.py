"""Editing a theme lexicon: add, relabel, re-term or remove themes, write `themes.toml`.

A lexicon is the dict `analytics.themes.load_lexicon` returns
(``{id: {"label", "phrases", "exclude"}}``).  Every edit returns a new dict and
raises `LexiconError` with a message meant for the person editing.  The file
written is an override in the format `load_lexicon(corpus_dir=...)` reads on top
of the bundled lexicon: only the themes that differ from it, and ``remove = true``
for bundled themes taken out, so a later fix to the bundled file still reaches
every theme nobody edited.  `save` never overwrites without ``confirm`` and keeps
the previous file beside the new one.
"""
from __future__ import annotations

import datetime as _dt
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from analytics.text import fold
from analytics.overrides import FileProblem
from analytics.themes import OVERRIDE_NAME, default_lexicon, load_lexicon

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_PHRASES = 500
MAX_PHRASE_CHARS = 200


class LexiconError(ValueError):
    """An edit or a file that cannot be accepted; the message says why."""


# --------------------------------------------------------------------------- edits

def parse_terms(text: str) -> tuple[str, ...]:
    """Terms typed one per line or comma-separated, folded like the lexicon's, de-duplicated."""
    out: dict[str, None] = {}
    for raw in re.split(r"[\n,;]", text or ""):
        term = " ".join(fold(raw).split())
        if term:
            out.setdefault(term, None)
    return tuple(out)


def _check_terms(theme: str, phrases: tuple[str, ...], what: str = "terms") -> None:
    if len(phrases) > MAX_PHRASES:
        raise LexiconError(f"Theme {theme!r} has {len(phrases)} {what}; at most {MAX_PHRASES}.")
    long = [p for p in phrases if len(p) > MAX_PHRASE_CHARS]
    if long:
        raise LexiconError(f"Theme {theme!r}: a term is longer than {MAX_PHRASE_CHARS} characters: "
                           f"{long[0][:40]!r}…")


def _check_label(label: str) -> str:
    label = " ".join((label or "").split())
    if not label:
        raise LexiconError("A theme needs a label (the name shown on the charts).")
    return label


def add_theme(lexicon: Mapping, theme_id: str, label: str, terms: Iterable[str],
              exclude: Iterable[str] = ()) -> dict:
    theme_id = (theme_id or "").strip()
    if not ID_PATTERN.fullmatch(theme_id):
        raise LexiconError(f"Theme id {theme_id!r}: use lower-case letters, digits and single hyphens "
                           "(e.g. 'cyber-crime').")
    if theme_id in lexicon:
        raise LexiconError(f"Theme id {theme_id!r} already exists; choose another id or edit that theme.")
    out = dict(lexicon)
    out[theme_id] = {"label": _check_label(label), "phrases": (), "exclude": ()}
    return set_terms(out, theme_id, terms, exclude)


def rename_theme(lexicon: Mapping, theme_id: str, label: str) -> dict:
    _known(lexicon, theme_id)
    out = dict(lexicon)
    out[theme_id] = {**lexicon[theme_id], "label": _check_label(label)}
    return out


def set_terms(lexicon: Mapping, theme_id: str, terms: Iterable[str], exclude: Iterable[str] | None = None) -> dict:
    _known(lexicon, theme_id)
    phrases = parse_terms("\n".join(terms))
    if not phrases:
        raise LexiconError(f"Theme {theme_id!r} needs at least one term; remove the theme instead.")
    _check_terms(theme_id, phrases)
    theme = {**lexicon[theme_id], "phrases": phrases}
    if exclude is not None:
        theme["exclude"] = parse_terms("\n".join(exclude))
        _check_terms(theme_id, theme["exclude"], "excluded terms")
    out = dict(lexicon)
    out[theme_id] = theme
    return out


def remove_theme(lexicon: Mapping, theme_id: str) -> dict:
    _known(lexicon, theme_id)
    if len(lexicon) == 1:
        raise LexiconError("The lexicon needs at least one theme.")
    return {k: v for k, v in lexicon.items() if k != theme_id}


def _known(lexicon: Mapping, theme_id: str) -> None:
    if theme_id not in lexicon:
        raise LexiconError(f"There is no theme {theme_id!r}.")


# --------------------------------------------------------------------------- TOML

def _s(value: str) -> str:
    # a JSON string is a valid TOML basic string (same escapes, \uXXXX included)
    return json.dumps(value, ensure_ascii=False)


def _list(values: Iterable[str]) -> str:
    return "[" + ", ".join(_s(v) for v in values) + "]"


def _same(a: Mapping, b: Mapping) -> bool:
    return (a["label"] == b["label"] and tuple(a["phrases"]) == tuple(b["phrases"])
            and tuple(a.get("exclude", ())) == tuple(b.get("exclude", ())))


def to_toml(lexicon: Mapping, base: Mapping | None = None) -> str:
    """The override file that turns ``base`` (the bundled lexicon) into ``lexicon``."""
    base = default_lexicon() if base is None else base
    lines = ["# Theme lexicon of this corpus, written by the dashboard's lexicon editor.",
             "# Applied on top of the bundled analytics/data/themes.toml: themes listed here are",
             "# added or replace the bundled one of the same id; `remove = true` drops a bundled theme.", ""]
    for tid, theme in lexicon.items():
        if tid in base and _same(theme, base[tid]):
            continue
        lines += ["[[theme]]", f"id = {_s(tid)}", f"label = {_s(theme['label'])}",
                  f"phrases = {_list(theme['phrases'])}", f"exclude = {_list(theme.get('exclude', ()))}", ""]
    for tid in base:
        if tid not in lexicon:
            lines += ["[[theme]]", f"id = {_s(tid)}", "remove = true", ""]
    return "\n".join(lines)


def read_back(text: str) -> dict:
    """The lexicon ``text`` gives when read the way the dashboard reads a corpus's themes.toml."""
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, OVERRIDE_NAME).write_text(text, encoding="utf-8")
        try:
            return load_lexicon(corpus_dir=tmp)
        except FileProblem as exc:     # named as the user knows it, not by the temporary folder
            raise LexiconError(exc.short) from None


# --------------------------------------------------------------------------- saving

@dataclass(frozen=True)
class Saved:
    path: Path
    backup: Path | None


def backup_name(now: _dt.datetime | None = None) -> str:
    return f"{OVERRIDE_NAME}.bak-{(now or _dt.datetime.now()).strftime('%Y%m%d-%H%M%S')}"


def save(folder: str | Path, text: str, *, confirm: bool = False, now: _dt.datetime | None = None) -> Saved:
    """Write ``text`` as ``folder/themes.toml`` atomically, after checking it reads back.

    An existing file is replaced only with ``confirm``; it is first copied to
    ``themes.toml.bak-YYYYmmdd-HHMMSS`` beside it.  Nothing else in the folder changes
    (the temporary file is a dot-file the corpus loader ignores, renamed into place).
    """
    folder = Path(folder)
    read_back(text)
    target = folder / OVERRIDE_NAME
    if target.is_symlink() or (target.exists() and not target.is_file()):
        raise LexiconError(f"{OVERRIDE_NAME} in the corpus folder is not a regular file; not touching it.")
    backup = None
    if target.exists():
        if not confirm:
            raise LexiconError(f"{OVERRIDE_NAME} already exists in the corpus folder: tick the "
                               "confirmation to replace it (the current file is kept as a backup).")
        backup = _free(folder / backup_name(now))
        shutil.copy2(target, backup)
    _atomic_write(target, text)
    return Saved(target, backup)


def _free(path: Path) -> Path:
    n, out = 1, path
    while out.exists():
        out, n = path.with_name(f"{path.name}-{n}"), n + 1
    return out


def _atomic_write(target: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".toml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
