"""Command line: ``python -m analytics COMMAND [--corpus DIR] [--format table|json|csv]``.

Exit codes (documented in the README):
  0  success (files that could not be read are listed on stderr, the rest is output)
  1  --strict was given and at least one file could not be read
  2  usage error (unknown command or option)
  3  the corpus folder is missing/unreadable or holds no readable resolution
  4  a document id or session given on the command line is not in the corpus
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
from pathlib import Path

EXIT_OK, EXIT_STRICT, EXIT_USAGE, EXIT_CORPUS, EXIT_REF = 0, 1, 2, 3, 4

# A file name that is not UTF-8 reaches Python with its bad bytes as lone surrogates
# (PEP 383); pandas refuses those, a strict stream crashes on them and a surrogateescape
# one writes the raw bytes back, which is invalid UTF-8 in every output format.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape(m: re.Match) -> str:
    code = ord(m.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else "\ufffd"


def printable(text: str) -> str:
    """``text`` with undecodable file-name bytes shown as ``\\xNN``: valid UTF-8 everywhere."""
    return _SURROGATE.sub(_escape, text)


def _printable_corpus(corpus):
    def doc(d):
        if not _SURROGATE.search(d.source + "".join(d.warnings)):
            return d
        return dataclasses.replace(d, source=printable(d.source), warnings=tuple(map(printable, d.warnings)))

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


def _frame_out(df, fmt: str, out) -> None:
    import pandas as pd
    if fmt == "json":
        out.write(df.to_json(orient="records", force_ascii=False, indent=2, date_format="iso"))
        out.write("\n")
    elif fmt == "csv":
        flat = df.copy()
        for col in flat.columns:
            if flat[col].map(lambda v: isinstance(v, (list, tuple))).any():
                flat[col] = flat[col].map(lambda v: "; ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
        out.write(flat.to_csv(index=False))
    else:
        # a draft has no symbol: show a blank, not "NaN"/"None"
        shown = df.astype(object).where(df.notna(), "") if len(df) else df
        with pd.option_context("display.max_rows", None, "display.max_columns", None,
                               "display.width", 200, "display.max_colwidth", 60):
            out.write(shown.to_string(index=False) if len(df) else "(no rows)")
            out.write("\n")


def _versions(index, doc) -> dict:
    """Series and version links of one document, as the `documents` records carry them."""
    series_id = index.series_of(doc.id)
    return {"series": series_id, "series_title": index.title_of(series_id),
            "adopted_as": index.adopted_as(doc.id) if doc.kind == "draft" else None,
            "drafts": list(index.drafts_of(doc.id)) if doc.kind != "draft" else []}


def _documents_frame(corpus, docs):
    import pandas as pd
    rows = [{"id": d.id, "symbol": d.symbol, "session": d.session,
             "date": d.date.isoformat() if d.date else None, "kind": d.kind,
             "series": corpus.series.series_of(d.id), "adopted_as": corpus.series.adopted_as(d.id),
             "preambular": len(d.preambular), "operative": len(d.operative),
             "words": d.word_count, "warnings": len(d.warnings), "source": d.source}
            for d in docs]
    return pd.DataFrame(rows, columns=["id", "symbol", "session", "date", "kind", "series", "adopted_as",
                                       "preambular", "operative", "words", "warnings", "source"])


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
            import textwrap
            out.write(textwrap.fill(p.text, width=96, initial_indent="      ", subsequent_indent="      "))
            out.write("\n")
    if doc.footnotes:
        out.write(f"\nFootnotes ({len(doc.footnotes)})\n")
        for f in doc.footnotes:
            out.write(f"  {f}\n")
    for w in doc.warnings:
        out.write(f"warning: {w}\n")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--corpus", type=Path, default=None, help="corpus folder (default: the bundled corpus/)")
    common.add_argument("--cache", type=Path, default=None, help="cache folder (default: cache/)")
    common.add_argument("--format", choices=("table", "json", "csv"), default="table")
    common.add_argument("--strict", action="store_true", help="exit 1 if any file could not be read")
    common.add_argument("--series", metavar="ID", default=None,
                        help="one series (ids: 'series'); session-level commands default to the largest")
    p = argparse.ArgumentParser(prog="python -m analytics",
                                description="Trend analytics for a series of UN General Assembly resolutions.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("documents", parents=[common], help="list the documents read from the corpus")
    s = sub.add_parser("show", parents=[common], help="one document's clean structure")
    s.add_argument("id", help="document id as printed by 'documents', or a session number")
    sub.add_parser("themes", parents=[common], help="theme counts per document")
    sub.add_parser("emerging", parents=[common], help="emerging policy issues named in each document")
    s = sub.add_parser("emerging-matrix", parents=[common], help="issue x session: first appearance, persistence, drop")
    s.add_argument("--mentions", action="store_true",
                   help="one row per issue and text: status beside how often the text mentions it")
    s = sub.add_parser("mentions", parents=[common], help="mentions of each emerging issue anywhere in each text")
    sub.add_parser("treaties", parents=[common], help="States parties figures stated in the texts")
    s = sub.add_parser("drift", parents=[common], help="TF-IDF distance between sessions")
    s.add_argument("--all-pairs", action="store_true", help="every pair of sessions, not only consecutive ones")
    s.add_argument("--terms", nargs=2, metavar=("A", "B"), help="rising and falling terms from session A to B")
    s.add_argument("--trend", metavar="TERM", help="trend series of a term or phrase")
    s.add_argument("--top", type=int, default=20)
    s = sub.add_parser("compare", parents=[common], help="compare two sessions or documents paragraph by paragraph")
    s.add_argument("a")
    s.add_argument("b")
    s.add_argument("--status", choices=("carried", "amended", "new", "dropped"), help="only rows of this status (table/csv)")
    sub.add_parser("lineage", parents=[common], help="earliest session of every paragraph's wording")
    sub.add_parser("verbs", parents=[common], help="operative verb profile per document")
    sub.add_parser("citations", parents=[common], help="resolutions cited by each document")
    s = sub.add_parser("emerging-detected", parents=[common],
                       help="emerging issues found in the text: first session, persistence, quote (ranked)")
    s.add_argument("--top", type=int, default=25, help="best-scoring rows shown (default 25; 0 for all)")
    s = sub.add_parser("digest", parents=[common], help="what changed in session S against the previous one (markdown)")
    s.add_argument("session", type=int, metavar="S")
    s.add_argument("--previous", type=int, metavar="P", help="compare with session P (default: the previous one)")
    sub.add_parser("series", parents=[common], help="the series of the corpus: title, sessions, documents, drafts")
    return p


def main(argv: list[str] | None = None, *, out=None, err=None) -> int:
    out = _PrintableStream(out or sys.stdout)
    err = _PrintableStream(err or sys.stderr)
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_OK
    from .corpus import load_corpus
    try:
        corpus = load_corpus(args.corpus, cache_dir=args.cache)
    except FileNotFoundError as exc:
        err.write(f"error: {exc}\n")
        return EXIT_CORPUS
    corpus = _printable_corpus(corpus)
    for note in corpus.notes:
        err.write(f"note: {note}\n")
    for prob in corpus.problems:
        err.write(f"skipped: {prob}\n")
    if not corpus.documents:
        err.write(f"error: no readable resolution in {args.corpus or 'corpus/'}\n")
        return EXIT_CORPUS
    for problem in corpus.config.problems if args.command not in _NO_LEXICON else ():
        err.write(f"note: {problem}\n")
    try:
        docs = _series_docs(args, corpus, err)
        rc = _run(args, corpus, docs, out)
    except LookupError as exc:
        err.write(f"error: {exc.args[0] if exc.args else exc}\n")
        return EXIT_REF
    if rc == EXIT_OK and args.strict and corpus.problems:
        return EXIT_STRICT
    return rc


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


def _run(args, corpus, docs, out) -> int:
    cmd, fmt = args.command, args.format
    if cmd == "documents":
        if fmt == "json":
            json.dump([{**d.to_dict(), **_versions(corpus.series, d)} for d in docs], out, ensure_ascii=False,
                      indent=2)
            out.write("\n")
        else:
            _frame_out(_documents_frame(corpus, docs), fmt, out)
        return EXIT_OK
    if cmd == "series":
        from .series import series_table
        _frame_out(series_table(corpus.series), fmt, out)
        return EXIT_OK
    if cmd == "show":
        doc = _resolve(find_document, docs, args.id)
        if fmt == "json":
            json.dump(doc.to_dict(), out, ensure_ascii=False, indent=2)
            out.write("\n")
        elif fmt == "csv":
            import pandas as pd
            rows = [{"key": p.key, "part": p.part, "number": p.number, "lead": p.lead, "text": p.text}
                    for p in doc.paragraphs]
            _frame_out(pd.DataFrame(rows), fmt, out)
        else:
            _show(doc, out)
        return EXIT_OK
    if cmd == "compare":
        from .compare import compare, compare_frames, resolve
        a = _resolve(resolve, docs, args.a)
        b = _resolve(resolve, docs, args.b)
        lexicons = {"lexicon": corpus.config.themes, "aliases": corpus.config.aliases}
        if fmt == "json":
            json.dump(compare(docs, a.id, b.id, **lexicons), out, ensure_ascii=False, indent=2, default=str)
            out.write("\n")
            return EXIT_OK
        frames = compare_frames(docs, a.id, b.id, **lexicons)
        paras = frames["paragraphs"]
        if args.status:
            paras = paras[paras["status"] == args.status]
        if fmt == "csv":
            _frame_out(paras, fmt, out)
            return EXIT_OK
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
                _frame_out(frames[name], "table", out)
        return EXIT_OK
    if cmd == "digest":
        return _digest(args, corpus, docs, out)
    df = _analysis(args, docs, corpus)
    _frame_out(df, fmt, out)
    return EXIT_OK


def _digest(args, corpus, docs, out) -> int:
    """The session digest: markdown (table), its sentences per section (json, csv)."""
    from .digest import render_markdown, sentences, session_digest, title
    digest = session_digest(docs, args.session, previous=args.previous, aliases=corpus.config.aliases)
    if args.format == "table":
        out.write(render_markdown(digest))
        return EXIT_OK
    if args.format == "json":
        json.dump({"title": title(digest), "sections": sentences(digest)}, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return EXIT_OK
    import pandas as pd
    rows = [{"section": name, "sentence": s} for name, items in sentences(digest).items() for s in items]
    _frame_out(pd.DataFrame(rows, columns=["section", "sentence"]), "csv", out)
    return EXIT_OK


def find_document(docs, ref: str):
    """A document id, or a session number (its adopted text, else its draft)."""
    from .records import representative
    for d in docs:
        if d.id == ref:
            return d
    if str(ref).isdigit() and int(ref) in representative(docs):
        return representative(docs)[int(ref)]
    raise KeyError(f"{ref!r} is neither a document id nor a session in the corpus "
                   f"(ids: {', '.join(d.id for d in docs)})")


def _resolve(resolve, docs, ref):
    try:
        return resolve(docs, ref)
    except (ValueError, KeyError) as exc:
        raise LookupError(str(exc.args[0] if exc.args else exc)) from None


def _analysis(args, docs, corpus):
    """One analysis over ``docs`` with the corpus's own lexicons and series."""
    cmd, config = args.command, corpus.config
    if cmd == "themes":
        from .themes import theme_counts
        return theme_counts(docs, lexicon=config.themes)
    if cmd == "emerging":
        from .emerging import emerging_issues
        return emerging_issues(docs, aliases=config.aliases)
    if cmd == "emerging-matrix":
        from .emerging import emerging_issues, emerging_matrix, issue_status
        if args.mentions:
            return issue_status(docs, aliases=config.aliases)
        return emerging_matrix(emerging_issues(docs, aliases=config.aliases)).reset_index()
    if cmd == "mentions":
        from .emerging import issue_mentions
        return issue_mentions(docs, aliases=config.aliases)
    if cmd == "treaties":
        from .treaties import treaty_figures
        return treaty_figures(docs)
    if cmd == "drift":
        from . import drift
        if args.trend:
            return drift.term_trend(docs, args.trend)
        if args.terms:
            try:
                a, b = (int(x) for x in args.terms)
            except ValueError:
                raise LookupError(f"--terms takes two session numbers, got {args.terms}") from None
            return drift.term_changes(docs, a, b, top=args.top)
        return drift.distances(docs, all_pairs=args.all_pairs)
    if cmd == "lineage":
        from .lineage import lineage
        # the series' own versions, and the rest of the corpus as where language is borrowed from
        df = lineage(docs, series=corpus.series, sources=corpus.documents)
        return df
    if cmd == "verbs":
        from .verbs import verb_profile
        return verb_profile(docs)
    if cmd == "citations":
        from .citations import citations
        return citations(docs)
    if cmd == "emerging-detected":
        from .detect import CLI_COLUMNS, detect
        return detect(docs, top=args.top or None, aliases=config.aliases)[CLI_COLUMNS]
    raise AssertionError(cmd)
