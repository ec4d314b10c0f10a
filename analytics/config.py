"""The configuration stage: every lexicon the analyses use, and its corpus-folder override.

A corpus folder may hold ``themes.toml``, ``emerging_aliases.toml`` and ``series.toml``
beside its documents.  Each is applied on top of the bundled file in ``analytics/data/``
by one rule: an entry whose ``id`` is new is added, an existing ``id`` gets the fields it
gives replaced (``add_*`` fields extend), ``remove = true`` drops it (``series.toml`` has
its own merge/split/rename tables, see `analytics.series`).  A malformed override never
stops a load: the bundled default is used for that file and `Config.problems` says which
file, which line and what is wrong, for the CLI and the dashboard to show.

`load_config` is the one place that reads these files; `Corpus.config` carries the result so
the CLI, the dashboard and every analysis count with the same lexicons.
"""
from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import emerging, themes
from .series import SeriesOverrides, parse_series_overrides

THEMES_FILE, ALIASES_FILE, SERIES_FILE = "themes.toml", "emerging_aliases.toml", "series.toml"
OVERRIDE_FILES = (THEMES_FILE, ALIASES_FILE, SERIES_FILE)


@dataclass(frozen=True)
class Config:
    """The resolved lexicons of one corpus folder."""
    themes: dict
    aliases: dict
    series: SeriesOverrides | None = None
    sources: dict = field(default_factory=dict)      # file name -> "bundled" or the override's path
    problems: tuple[str, ...] = ()                   # malformed overrides (bundled default used)

    @property
    def fingerprint(self) -> str:
        """Content hash of the lexicons: derived data computed with them is keyed by it."""
        blob = json.dumps([self.themes, self.aliases, self.series.canonical() if self.series else None],
                          sort_keys=True, default=list)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


def load_config(corpus_dir: str | Path | None = None) -> Config:
    """Bundled lexicons with the overrides of ``corpus_dir`` applied (see the module docstring)."""
    folder = Path(corpus_dir) if corpus_dir is not None else None
    problems: list[str] = []
    sources: dict[str, str] = {}
    lexicon = _with_override(folder, THEMES_FILE, lambda d: themes.load_lexicon(corpus_dir=d),
                             themes.default_lexicon, problems, sources)
    aliases = _with_override(folder, ALIASES_FILE, lambda d: emerging.load_aliases(corpus_dir=d),
                             emerging.default_aliases, problems, sources)
    series = _with_override(folder, SERIES_FILE, _read_series, lambda: None, problems, sources)
    return Config(lexicon, aliases, series, sources, tuple(problems))


def _with_override(folder: Path | None, name: str, load: Callable, default: Callable,
                   problems: list[str], sources: dict[str, str]):
    path = folder / name if folder is not None else None
    if path is None or not path.is_file():
        sources[name] = "bundled"
        return default()
    try:
        value = load(folder)
    except ValueError as exc:
        problems.append(f"{name}: {_one_line(exc)}; the bundled default is used instead")
        sources[name] = "bundled"
        return default()
    sources[name] = str(path)
    return value


def _read_series(folder: Path) -> SeriesOverrides:
    path = folder / SERIES_FILE
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"invalid TOML: {exc}") from None   # the message gives line and column
    except OSError as exc:
        raise ValueError(f"cannot read: {exc.strerror or exc}") from None
    return parse_series_overrides(data, source=path.name)


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())
