"""Command line: ``python -m analytics COMMAND [--corpus DIR | --store DIR] [--format table|json|csv]``.

``python -m analytics ingest [--corpus DIR] [--engine local|dask] [--scheduler ADDRESS] [--out DIR]``
writes a corpus folder's records to a store (`analytics.distributed`); ``--store DIR`` then
reads them from there instead of parsing the folder.

Exit codes (documented in the README):
  0  success (files that could not be read are listed on stderr, the rest is output)
  1  --strict was given and at least one file could not be read
  2  usage error (unknown command or option; for ingest also a bad --out or --scheduler,
     or Dask not installed)
  3  the corpus folder (or store) is missing/unreadable or holds no readable resolution
  4  a document id, symbol or session given on the command line is not in the corpus
"""
from __future__ import annotations

import argparse
import dataclasses
import re
import sys
import textwrap
from pathlib import Path

from .export import frame_text, json_text

EXIT_OK, EXIT_STRICT, EXIT_USAGE, EXIT_CORPUS, EXIT_REF = 0, 1, 2, 3, 4

# A file name that is not UTF-8 reaches Python with its bad bytes as lone surrogates
# (PEP 383); pandas refuses those, a strict stream crashes on them and a surrogateescape
# one writes the raw bytes back, which is invalid UTF-8 in every output format.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape(m: re.Match) -> str:
    code = ord(m.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else "\ufffd"


# A control character in a file name (a newline, a terminal escape) would split a message
# line or drive the terminal: one message, one line, the character shown as Python writes it.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def one_line(text: str) -> str:
    """``text`` with control characters shown as ``\\n``, ``\\t``, ``\\x1b``: a stderr line."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def printable(text: str) -> str:
    """``text`` with undecodable file-name bytes shown as ``\\xNN``: valid UTF-8 everywhere."""
    return _SURROGATE.sub(_escape, text)


def _printable_corpus(corpus):
    def doc(d):
        if not _SURROGATE.search(d.source + "".join(d.warnings)):
            return d
        return d.evolve(source=printable(d.source), warnings=tuple(map(printable, d.warnings)))

    problems = tuple(dataclasses.replace(p, source=printable(p.source), reason=printable(p.reason))
                     for p in corpus.problems)
    return dataclasses.replace(corpus, documents=tuple(map(doc, corpus.documents)), problems=problems,
                               notes=tuple(map(printable, corpus.notes)))


class _PrintableStream:
    """The last guard, for what the corpus does not carry (a --corpus path in an error).
    U+FFFD, not ``\\xNN``: a backslash could land inside a JSON string."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(_SURROGATE.sub("\ufffd", text))

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _versions(index, doc) -> dict:
    """Series and version links of one document, as the `documents` records carry them."""
    series_id = index.series_of(doc.id)
    return {"series": series_id, "series_title": index.title_of(series_id),
            "adopted_as": index.adopted_as(doc.id) if doc.kind == "draft" else None,
            "drafts": list(index.drafts_of(doc.id)) if doc.kind != "draft" else []}


def _show(doc, out) -> None:
    out.write(f"{doc.label}  ({doc.id})\n{doc.title}\n")
    meta = [("session", doc.session), ("date", doc.date), ("kind", doc.kind),
            ("sponsors", ", ".join(doc.sponsors) or None), ("agenda item", doc.agenda_item),
            ("committee report", doc.committee_report), ("plenary meeting", doc.plenary_meeting),
            ("source", doc.source), ("sha256", doc.sha256)]
    for k, v in meta:
        if v:
            out.write(f"  {k}: {v}\n")
    for part, paras in (("Preambular paragraphs", doc.preambular), ("Operative paragraphs", doc.operative)):
        out.write(f"\n{part} ({len(paras)})\n")
        for p in paras:
            label = f"{p.number}." if p.number is not None else f"PP{p.index}"
            out.write(f"\n{label:>5} [{p.lead}]\n")
            out.write(textwrap.fill(p.text, width=96, initial_indent="      ", subsequent_indent="      "))
            out.write("\n")
    if doc.footnotes:
        out.write(f"\nFootnotes ({len(doc.footnotes)})\n")
        for f in doc.footnotes:
            out.write(f"  {f}\n")
    for w in doc.warnings:
        out.write(f"warning: {w}\n")



# --------------------------------------------------------------------------- the parser, as data

def _arg(*flags: str, **options) -> tuple[tuple[str, ...], dict]:
    return flags, options


# Where the records come from: a corpus folder, or a store written by `ingest` (one or the other).
_SOURCE = (
    _arg("--corpus", type=Path, default=None, help="corpus folder (default: the bundled corpus/)"),
    _arg("--store", type=Path, default=None, metavar="STORE_DIR",
         help="read the records from a store written by 'ingest' instead of a corpus folder"),
)
_COMMON = (
    _arg("--cache", type=Path, default=None, help="cache folder (default: cache/)"),
    _arg("--format", choices=("table", "json", "csv"), default="table"),
    _arg("--strict", action="store_true", help="exit 1 if any file could not be read"),
    _arg("--series", metavar="ID", default=None,
         help="one series (ids: 'series'); session-level commands default to the largest"),
)
_TOP = _arg("--top", type=int, default=20)
# name: (help, the command's own arguments); every one also takes _SOURCE and _COMMON
COMMANDS: dict[str, tuple[str, tuple]] = {
    "documents": ("list the documents read from the corpus", ()),
    "show": ("one document's clean structure", (
        _arg("id", help="document id as printed by 'documents', its symbol, or a session number"),)),
    "themes": ("theme counts per document", ()),
    "emerging": ("emerging policy issues named in each document", ()),
    "emerging-matrix": ("issue x session: first appearance, persistence, drop", (
        _arg("--mentions", action="store_true",
             help="one row per issue and text: status beside how often the text mentions it"),)),
    "mentions": ("mentions of each emerging issue anywhere in each text", ()),
    "treaties": ("figures of parties to conventions stated in the texts", ()),
    "drift": ("TF-IDF distance between sessions", (
        _arg("--all-pairs", action="store_true", help="every pair of sessions, not only consecutive ones"),
        _arg("--terms", nargs=2, metavar=("A", "B"), help="rising and falling terms from session A to B"),
        _arg("--trend", metavar="TERM", help="trend series of a term or phrase"),
        _TOP)),
    "compare": ("compare two sessions or documents paragraph by paragraph", (
        _arg("a"), _arg("b"),
        _arg("--status", choices=("carried", "amended", "new", "dropped"),
             help="only rows of this status (table/csv)"))),
    "lineage": ("earliest session of every paragraph's wording", ()),
    "verbs": ("operative verb profile per document", ()),
    "citations": ("resolutions cited by each document", ()),
    "emerging-detected": ("emerging issues found in the text: first session, persistence, quote (ranked)", (
        _arg("--top", type=int, default=25, help="best-scoring rows shown (default 25; 0 for all)"),)),
    "digest": ("what changed in session S against the previous one (markdown)", (
        _arg("session", type=int, metavar="S"),
        _arg("--previous", type=int, metavar="P", help="compare with session P (default: the previous one)"))),
    "series": ("the series of the corpus: title, sessions, documents, drafts", ()),
}
INGEST = ("parse the corpus folder into a Parquet store, locally or on a Dask cluster", (
    _arg("--corpus", type=Path, default=None, help="corpus folder (default: the bundled corpus/)"),
    _arg("--cache", type=Path, default=None, help="cache folder (default: cache/)"),
    _arg("--engine", choices=("local", "dask"), default="local",
         help="where files are parsed: this machine (default) or a Dask cluster"),
    _arg("--scheduler", metavar="ADDRESS", default=None,
         help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (default with --engine dask: this machine's cores)"),
    _arg("--out", type=Path, default=None, metavar="STORE_DIR", help="store folder (default: store/)"),
    _arg("--format", choices=("table", "json", "csv"), default="table", help="of the summary"),
))


def _add_arguments(parser, specs) -> None:
    for flags, options in specs:
        parser.add_argument(*flags, **options)


def _common_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    _add_arguments(common.add_mutually_exclusive_group(), _SOURCE)
    _add_arguments(common, _COMMON)
    return common


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m analytics",
                                description="Trend analytics for a series of UN General Assembly resolutions.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = _common_parser()
    for name, (text, specs) in COMMANDS.items():
        _add_arguments(sub.add_parser(name, parents=[common], help=text), specs)
    _add_arguments(sub.add_parser("ingest", help=INGEST[0]), INGEST[1])
    return p


# --------------------------------------------------------------------------- main

class _Exit(Exception):
    """Stop with this exit code (the reason is already on stderr)."""

    def __init__(self, code: int):
        super().__init__(code)
        self.code = code


def main(argv: list[str] | None = None, *, out=None, err=None) -> int:
    out = _PrintableStream(out or sys.stdout)
    err = _PrintableStream(err or sys.stderr)
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_OK
    if args.command == "ingest":
        return _ingest(args, out, err)
    try:
        corpus = _load(args, err)
    except _Exit as stop:
        return stop.code
    try:
        _run(args, corpus, _series_docs(args, corpus, err), out)
    except LookupError as exc:
        err.write(f"error: {exc.args[0] if exc.args else exc}\n")
        return EXIT_REF
    return EXIT_STRICT if args.strict and corpus.problems else EXIT_OK


def _read(args):
    if args.store is not None:
        # the store route is optional (pyarrow, dask): imported only when asked for
        from .distributed import load_store
        return load_store(args.store)
    from .corpus import load_corpus
    return load_corpus(args.corpus, cache_dir=args.cache)


def _load(args, err):
    """The corpus of the command line, with its notes and skipped files told on stderr."""
    # a store that is not one is as unreadable as a missing folder
    unreadable = (FileNotFoundError, ValueError) if args.store is not None else FileNotFoundError
    try:
        corpus = _read(args)
    except unreadable as exc:
        err.write(f"error: {exc}\n")
        raise _Exit(EXIT_CORPUS) from None
    corpus = _printable_corpus(corpus)
    for note in corpus.notes:
        err.write(f"note: {one_line(note)}\n")
    for prob in corpus.problems:
        err.write(f"skipped: {one_line(str(prob))}\n")
    if not corpus.documents:
        where = args.store if args.store is not None else args.corpus or "corpus/"
        err.write(f"error: no readable resolution in {where}\n")
        raise _Exit(EXIT_CORPUS)
    for problem in corpus.config.problems if args.command not in _NO_LEXICON else ():
        err.write(f"note: {problem}\n")
    return corpus


# Session-level pictures are drawn within one series: by default the largest, named on stderr.
SESSION_LEVEL = frozenset({"emerging-matrix", "drift", "compare", "lineage", "digest", "emerging-detected"})
_NO_LEXICON = frozenset({"documents", "show", "series"})


def _series_docs(args, corpus, err):
    """The documents a command works on: one series for session-level commands (``--series``,
    else the largest), every document otherwise unless ``--series`` narrows them."""
    index = corpus.series
    by_session = args.command in SESSION_LEVEL or (args.command == "show" and args.id.isdigit())
    if args.command == "series" or (args.series is None and not by_session):
        return corpus.documents
    series_id = args.series if args.series is not None else _default_series(args, corpus)
    if series_id not in index.ids:
        raise LookupError(f"series {series_id!r} is not in the corpus (series: {', '.join(index.ids)})")
    members = index.members(series_id)
    for warning in index.warnings:
        err.write(f"note: series.toml: {warning}\n")
    err.write(f"series: {series_id} ({index.title_of(series_id)}; {len(members)} documents)\n")
    return members


def _default_series(args, corpus) -> str:
    # two documents named by id are compared within the first one's series
    if args.command == "compare" and not args.a.isdigit():
        ids = set(corpus.ids)
        if args.a in ids:
            return corpus.series.series_of(args.a)
    return corpus.series.largest()


def _find(docs, ref):
    """The document ``ref`` names (`compare.resolve`); an unknown one is a LookupError."""
    from .compare import resolve
    try:
        return resolve(docs, ref)
    except (ValueError, KeyError) as exc:
        raise LookupError(str(exc.args[0] if exc.args else exc)) from None


# --------------------------------------------------------------------------- commands

def _run(args, corpus, docs, out) -> None:
    command = _COMMAND_RUNNERS.get(args.command)
    if command is not None:
        command(args, corpus, docs, out)
    else:
        out.write(frame_text(_analysis(args, docs, corpus), args.format))


def _documents(args, corpus, docs, out) -> None:
    if args.format == "json":
        out.write(json_text([{**d.to_dict(), **_versions(corpus.series, d)} for d in docs]))
    else:
        from .inventory import documents_frame
        out.write(frame_text(documents_frame(corpus, docs), args.format))


def _series(args, corpus, docs, out) -> None:
    from .series import series_table
    out.write(frame_text(series_table(corpus.series), args.format))


def _show_document(args, corpus, docs, out) -> None:
    doc = _find(docs, args.id)
    if args.format == "json":
        out.write(json_text(doc.to_dict()))
    elif args.format == "csv":
        import pandas as pd
        rows = [{"key": p.key, "part": p.part, "number": p.number, "lead": p.lead, "text": p.text}
                for p in doc.paragraphs]
        out.write(frame_text(pd.DataFrame(rows), "csv"))
    else:
        _show(doc, out)


def _compare(args, corpus, docs, out) -> None:
    from .compare import compare, compare_frames
    a, b = _find(docs, args.a), _find(docs, args.b)
    lexicons = corpus.config.lexicons()
    if args.format == "json":
        out.write(json_text(compare(docs, a.id, b.id, **lexicons), default=str))
        return
    frames = compare_frames(docs, a.id, b.id, **lexicons)
    paras = frames["paragraphs"]
    if args.status:
        paras = paras[paras["status"] == args.status]
    if args.format == "csv":
        out.write(frame_text(paras, "csv"))
    else:
        _compare_table(a, b, paras, frames, out)


def _compare_table(a, b, paras, frames, out) -> None:
    out.write(f"Compare {a.label} ({a.id}) with {b.label} ({b.id})\n\n")
    summary = paras.groupby(["part", "status"]).size().unstack(fill_value=0)
    out.write(summary.to_string() + "\n\n")
    for _, row in paras.iterrows():
        out.write(f"[{row['status']:>7}] {row['a_key'] or '-':>5} -> {row['b_key'] or '-':<5} "
                  f"sim={row['similarity']:.2f}\n")
        if row["status"] == "amended":
            out.write(f"        {row['redline']}\n")
    for name in ("themes", "emerging", "treaties", "keyness"):
        if name in frames and len(frames[name]):
            out.write(f"\n{name}\n")
            out.write(frame_text(frames[name], "table"))


def _digest(args, corpus, docs, out) -> None:
    """The session digest: markdown (table), its sentences per section (json, csv)."""
    from .digest import render_markdown, sentences, session_digest, title
    config = corpus.config
    digest = session_digest(docs, args.session, previous=args.previous, aliases=config.aliases,
                            conventions=config.conventions, stop_words=config.stop_words)
    if args.format == "table":
        out.write(render_markdown(digest))
    elif args.format == "json":
        out.write(json_text({"title": title(digest), "sections": sentences(digest)}))
    else:
        import pandas as pd
        rows = [{"section": name, "sentence": s} for name, items in sentences(digest).items() for s in items]
        out.write(frame_text(pd.DataFrame(rows, columns=["section", "sentence"]), "csv"))


_COMMAND_RUNNERS = {"documents": _documents, "series": _series, "show": _show_document,
                    "compare": _compare, "digest": _digest}


def _ingest(args, out, err) -> int:
    """Parse the corpus folder into a store (`analytics.distributed`, imported only here: the
    Dask route is optional) and print the summary; its notes go to stderr."""
    from .corpus import DEFAULT_CORPUS, PACKAGE_ROOT
    from .distributed import ingest
    try:
        summary = ingest(args.corpus or DEFAULT_CORPUS, out=args.out or PACKAGE_ROOT / "store",
                         engine=args.engine, scheduler=args.scheduler, cache_dir=args.cache)
    except FileNotFoundError as exc:
        err.write(f"error: {exc}\n")
        return EXIT_CORPUS
    except (ValueError, ImportError) as exc:     # a bad --out or --scheduler; dask not installed
        err.write(f"error: {exc}\n")
        return EXIT_USAGE
    for note in summary.get("notes", ()):
        err.write(f"note: {printable(str(note))}\n")
    shown = {k: v for k, v in summary.items() if k != "notes"}
    if args.format == "json":
        out.write(json_text(shown))
    else:
        import pandas as pd
        out.write(frame_text(pd.DataFrame([shown]), args.format))
    if not summary.get("documents"):
        err.write(f"error: no readable resolution in {args.corpus or 'corpus/'}\n")
        return EXIT_CORPUS
    return EXIT_OK


# --------------------------------------------------------------------------- analyses

def _themes(args, docs, corpus):
    from .themes import theme_counts
    return theme_counts(docs, lexicon=corpus.config.themes)


def _emerging(args, docs, corpus):
    from .emerging import emerging_issues
    return emerging_issues(docs, aliases=corpus.config.aliases)


def _emerging_matrix(args, docs, corpus):
    from .emerging import emerging_issues, emerging_matrix, issue_status
    aliases = corpus.config.aliases
    if args.mentions:
        return issue_status(docs, aliases=aliases)
    # the documents, not the rows, say which text stands for each session (and which listed nothing)
    return emerging_matrix(emerging_issues(docs, aliases=aliases), docs=docs).reset_index()


def _mentions(args, docs, corpus):
    from .emerging import issue_mentions
    return issue_mentions(docs, aliases=corpus.config.aliases)


def _treaties(args, docs, corpus):
    from .treaties import treaty_figures
    return treaty_figures(docs, conventions=corpus.config.conventions)


def _drift(args, docs, corpus):
    from . import drift
    stop = corpus.config.stop_words
    if args.trend:
        return drift.term_trend(docs, args.trend, stop_words=stop)
    if args.terms:
        try:
            a, b = (int(x) for x in args.terms)
        except ValueError:
            raise LookupError(f"--terms takes two session numbers, got {args.terms}") from None
        try:
            return drift.term_changes(docs, a, b, top=args.top, stop_words=stop)
        except ValueError as exc:      # a session not in the series: exit 4, not a traceback
            raise LookupError(str(exc)) from None
    return drift.distances(docs, all_pairs=args.all_pairs, stop_words=stop)


def _lineage(args, docs, corpus):
    from .lineage import lineage, lineage_index
    # the series' own versions, and the rest of the corpus as where language is borrowed from
    # (the series' rows of the whole corpus's trace, as the dashboard shows them); the pool's
    # index is the one the dashboard files in the corpus's cache (read back, or built and filed)
    index = lineage_index(corpus.documents, cache_dir=corpus.cache_dir)
    return lineage(docs, series=corpus.series, sources=corpus.documents, index=index)


def _verbs(args, docs, corpus):
    from .verbs import verb_profile
    return verb_profile(docs)


def _citations(args, docs, corpus):
    from .citations import citations
    return citations(docs)


def _emerging_detected(args, docs, corpus):
    from .detect import CLI_COLUMNS, detect
    return detect(docs, top=args.top or None, aliases=corpus.config.aliases)[CLI_COLUMNS]


_ANALYSES = {"themes": _themes, "emerging": _emerging, "emerging-matrix": _emerging_matrix,
             "mentions": _mentions, "treaties": _treaties, "drift": _drift, "lineage": _lineage,
             "verbs": _verbs, "citations": _citations, "emerging-detected": _emerging_detected}


def _analysis(args, docs, corpus):
    """One analysis over ``docs`` with the corpus's own lexicons and series."""
    return _ANALYSES[args.command](args, docs, corpus)
