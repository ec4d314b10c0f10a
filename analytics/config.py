"""The configuration stage: every lexicon the analyses use, and its corpus-folder override.

A corpus folder may hold, beside its documents, an override of each bundled data file of
``analytics/data/`` (`OVERRIDE_FILES`):

* ``themes.toml``, ``emerging_aliases.toml``, ``conventions.toml``: id-keyed entries merged
  on the bundled file by the one rule of `analytics.overrides` (a new ``id`` is added, an
  existing one gets the fields it gives replaced, ``add_*`` fields extend, ``remove = true``
  drops it; conventions are keyed by their ``short`` name);
* ``stopwords.toml``: ``add = [...]`` / ``remove = [...]`` words of the stop-word set
  (`analytics.tokens`; TOML, because a ``.txt`` beside the documents is read as one);
* ``series.toml``: its own merge/split/rename tables (see `analytics.series`).

A malformed override never stops a load: the bundled default is used for that file and
`Config.problems` says which file, which line and what is wrong, for the CLI and the
dashboard to show.

`load_config` is the one place that reads these files; `Corpus.config` carries the result so
the CLI, the dashboard and every analysis count with the same lexicons.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable

from . import emerging, overrides, themes, treaties
from .series import SeriesOverrides, parse_series_overrides

THEMES_FILE = themes.OVERRIDE_NAME                 # "themes.toml"
ALIASES_FILE = emerging.OVERRIDE_NAME              # "emerging_aliases.toml"
CONVENTIONS_FILE = treaties.OVERRIDE_NAME          # "conventions.toml"
# TOML, not a word list: a .txt beside the documents would be read as one
STOPWORDS_FILE = "stopwords.toml"
SERIES_FILE = "series.toml"
# Every file of a corpus folder that is configuration, not a document.
OVERRIDE_FILES = (THEMES_FILE, ALIASES_FILE, CONVENTIONS_FILE, STOPWORDS_FILE, SERIES_FILE)


@dataclass(frozen=True)
class Config:
    """The resolved lexicons of one corpus folder."""
    themes: dict
    aliases: dict
    series: SeriesOverrides | None = None
    sources: dict = field(default_factory=dict)      # file name -> "bundled" or the override's path
    problems: tuple[str, ...] = ()                   # malformed overrides (bundled default used)
    conventions: treaties.Conventions = field(default_factory=treaties.default_conventions)
    stop_words_added: frozenset[str] = frozenset()      # stopwords.toml's ``add``
    stop_words_removed: frozenset[str] = frozenset()    # and ``remove``

    @cached_property
    def stop_words(self) -> frozenset[str]:
        """The full stop-word set analysis tokens drop (`analytics.tokens`, imported only
        when asked: it loads NLTK and scikit-learn, which most commands never need)."""
        from .tokens import stop_words_with
        return stop_words_with(add=self.stop_words_added, remove=self.stop_words_removed)

    def lexicons(self) -> dict:
        """Every lexicon as the keyword arguments the analyses take (`compare_frames`)."""
        return {"lexicon": self.themes, "aliases": self.aliases, "conventions": self.conventions,
                "stop_words": self.stop_words}

    @property
    def fingerprint(self) -> str:
        """Content hash of the lexicons: derived data computed with them is keyed by it."""
        blob = json.dumps([self.themes, self.aliases, self.series.canonical() if self.series else None,
                           [dataclasses.astuple(c) for c in self.conventions],
                           sorted(self.stop_words_added), sorted(self.stop_words_removed)],
                          sort_keys=True, default=list)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


def load_config(corpus_dir: str | Path | None = None) -> Config:
    """Bundled lexicons with the overrides of ``corpus_dir`` applied (see the module docstring)."""
    folder = Path(corpus_dir) if corpus_dir is not None else None
    problems: list[str] = []
    sources: dict[str, str] = {}

    def resolved(name: str, load: Callable, default: Callable):
        return _with_override(folder, name, load, default, problems, sources)

    lexicon = resolved(THEMES_FILE, lambda d: themes.load_lexicon(corpus_dir=d), themes.default_lexicon)
    aliases = resolved(ALIASES_FILE, lambda d: emerging.load_aliases(corpus_dir=d), emerging.default_aliases)
    conventions = resolved(CONVENTIONS_FILE, lambda d: treaties.read_conventions(corpus_dir=d),
                           treaties.default_conventions)
    added, removed = resolved(STOPWORDS_FILE, _read_stop_words, lambda: (frozenset(), frozenset()))
    series = resolved(SERIES_FILE, _read_series, lambda: None)
    return Config(lexicon, aliases, series, sources, tuple(problems), conventions=conventions,
                  stop_words_added=added, stop_words_removed=removed)


def _with_override(folder: Path | None, name: str, load: Callable, default: Callable,
                   problems: list[str], sources: dict[str, str]):
    path = overrides.override_path(folder, name)
    if path is None:
        sources[name] = "bundled"
        return default()
    try:
        value = load(folder)
    except ValueError as exc:     # a FileProblem, or series.toml's own check
        what = exc.short if isinstance(exc, overrides.FileProblem) else f"{name}: {_one_line(exc)}"
        problems.append(f"{what}; the bundled default is used instead")
        sources[name] = "bundled"
        return default()
    sources[name] = str(path)
    return value


def _read_series(folder: Path) -> SeriesOverrides:
    src = overrides.read_toml(folder / SERIES_FILE)
    return parse_series_overrides(src.data, source=src.path.name)


_STOPWORD_KEYS = ("add", "remove")


def _read_stop_words(folder: Path) -> tuple[frozenset[str], frozenset[str]]:
    """The words ``stopwords.toml`` adds and removes: lists of strings, no other key."""
    src = overrides.read_toml(folder / STOPWORDS_FILE)
    for key in src.data:
        if key not in _STOPWORD_KEYS:
            raise src.problem(f"unknown key {key!r} (expected {' or '.join(_STOPWORD_KEYS)})", key=key)
    found = []
    for key in _STOPWORD_KEYS:
        try:
            words = overrides.strings(src.data.get(key, []))
        except overrides.FieldError as exc:
            raise src.problem(f"{key!r} {exc}", key=key) from None
        if not all(w.strip() for w in words):
            raise src.problem(f"{key!r} holds an empty word", key=key)
        found.append(frozenset(words))
    return found[0], found[1]


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())
