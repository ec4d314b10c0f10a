"""Reading a lexicon file and merging a corpus folder's override onto it: the one merge rule.

The id-keyed lexicons (themes, emerging-issue aliases, conventions) are TOML arrays of
tables, ``[[theme]]``, ``[[issue]]``, ``[[convention]]``.  An `EntryRule` says what the fields
of one such table are; `merge_file` applies a file to a table of entries by one rule:

* an entry whose id is new is added (the rule's required fields must be given);
* an existing id gets the fields it gives replaced, and ``add_<field>`` extends a list field;
* ``remove = true`` drops the entry;
* in a base file (the bundled one) an id defined twice is an error.

Every problem is a `FileProblem`: which file, which line (when it can be told) and what is
wrong, so the configuration stage can fall back to the bundled file and say why.
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path


class FileProblem(ValueError):
    """A data file that cannot be used: ``str()`` gives the path, the line and what is wrong."""

    def __init__(self, path: str | Path, what: str, line: int | None = None):
        self.path, self.what, self.line = Path(path), what, line
        super().__init__(f"{self.path}: {self._where()}{what}")

    def _where(self) -> str:
        return f"line {self.line}: " if self.line else ""

    @property
    def short(self) -> str:
        """The message with the file's name only (for a reader who knows the folder)."""
        return f"{self.path.name}: {self._where()}{self.what}"


class FieldError(ValueError):
    """A field's value is wrong; `merge_file` turns it into a `FileProblem` with the line."""


@dataclass(frozen=True)
class Source:
    """One parsed TOML file, with its text so that problems can name a line."""
    path: Path
    data: dict
    text: str

    def problem(self, what: str, *, table: str | None = None, index: int | None = None,
                key: str | None = None) -> FileProblem:
        """A problem of the file; at the ``index``-th ``[[table]]`` entry (1-based) when given,
        at its ``key`` line when given too, or at a top-level ``key``."""
        if table is not None and index is not None:
            line = _entry_line(self.text, table, index, key)
        else:
            line = _key_line(self.text, 0, len(self.text), key) if key is not None else None
        return FileProblem(self.path, what, line)


_TOML_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)")


def read_toml(path: str | Path) -> Source:
    """Parse a TOML file; `FileProblem` for an unreadable file or invalid TOML (with the line)."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise FileProblem(path, f"cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise FileProblem(path, "not UTF-8 text") from None
    try:
        return Source(path, tomllib.loads(text), text)
    except tomllib.TOMLDecodeError as exc:
        raise _toml_problem(path, text, str(exc)) from None


def _toml_problem(path: Path, text: str, message: str) -> FileProblem:
    at = _TOML_AT.search(message)
    if at is not None:
        return FileProblem(path, f"invalid TOML: {_TOML_AT.sub('', message)} (column {at.group(2)})",
                           int(at.group(1)))
    if message.endswith(_AT_END):       # an unclosed list or string: say where the file ends
        return FileProblem(path, f"invalid TOML: {message[:-len(_AT_END)]} at the end of the file",
                           text.rstrip("\n").count("\n") + 1)
    return FileProblem(path, f"invalid TOML: {message}")


_AT_END = " (at end of document)"


def _entry_line(text: str, table: str, index: int, key: str | None) -> int | None:
    """Line of the ``index``-th ``[[table]]`` header (1-based), or of its ``key = `` line."""
    header = re.compile(rf"^[ \t]*\[\[[ \t]*[\"']?{re.escape(table)}[\"']?[ \t]*\]\]", re.MULTILINE)
    starts = [m.start() for m in header.finditer(text)]
    if not 0 < index <= len(starts):
        return None          # entries written as an inline array: no header to point at
    start = starts[index - 1]
    line = text.count("\n", 0, start) + 1
    if key is None:
        return line
    # the next table header (a nested array's line opens with "[[" or '["', not a bare key)
    nxt = re.compile(r"^[ \t]*\[\[?[ \t]*[A-Za-z_]", re.MULTILINE).search(text, start + 2)
    return _key_line(text, start, nxt.start() if nxt else len(text), key) or line


def _key_line(text: str, start: int, end: int, key: str) -> int | None:
    """Line of the first ``key = `` of ``text[start:end]``."""
    m = re.compile(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=", re.MULTILINE).search(text, start, end)
    return text.count("\n", 0, m.start()) + 1 if m else None


# --- field parsers ----------------------------------------------------------------------------

def text_field(value) -> str:
    if not isinstance(value, str) or not value.strip():
        raise FieldError("must be a non-empty string")
    return value


def strings(value) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise FieldError("must be a list of strings")
    return tuple(value)


# --- the merge rule ---------------------------------------------------------------------------

@dataclass(frozen=True)
class EntryRule:
    """How the entries of one id-keyed table are read.

    ``fields``: field -> (parser, default for a new entry); a field whose default is
    `REQUIRED` must be given by a new entry.  ``extend``: list fields that also have an
    ``add_<field>`` form.  ``finish``: checks and normalises a merged entry (raises
    `FieldError`), e.g. "a theme has phrases".  ``kind``: what messages call an entry."""
    table: str
    fields: Mapping[str, tuple[Callable, object]]
    extend: tuple[str, ...] = ()
    finish: Callable[[dict], dict] = lambda entry: entry
    id_key: str = "id"
    kind: str = ""


REQUIRED = object()


def entries(src: Source, rule: EntryRule) -> list[dict]:
    """The ``[[table]]`` entries of a file, each with a string id."""
    found = src.data.get(rule.table, [])
    if not isinstance(found, list) or not all(isinstance(e, dict) for e in found):
        raise src.problem(f"expected [[{rule.table}]] tables")
    for i, e in enumerate(found, 1):
        if not isinstance(e.get(rule.id_key), str) or not e[rule.id_key].strip():
            raise src.problem(f"[[{rule.table}]] number {i} has no string {rule.id_key!r}",
                              table=rule.table, index=i)
    return found


def merge_file(table: dict[str, dict], src: Source, rule: EntryRule, *, base: bool = False) -> None:
    """Apply the entries of ``src`` to ``table`` in place (see the module docstring)."""
    for i, entry in enumerate(entries(src, rule), 1):
        eid = entry[rule.id_key]
        if base and eid in table:
            raise src.problem(f"{rule.kind or rule.table} id {eid!r} is defined twice", table=rule.table, index=i)
        if entry.get("remove") is True:
            table.pop(eid, None)
            continue
        try:
            table[eid] = rule.finish(_merged(table.get(eid), entry, rule))
        except _AtField as exc:
            key, what = exc.args
            raise src.problem(f"{rule.kind or rule.table} {eid!r}: {key!r} {what}",
                              table=rule.table, index=i, key=key) from None
        except FieldError as exc:
            raise src.problem(f"{rule.kind or rule.table} {eid!r} {exc}", table=rule.table, index=i) from None


class _AtField(Exception):
    """(field, what is wrong): a `FieldError` of a named field, to point at its line."""


def _merged(current: dict | None, entry: Mapping, rule: EntryRule) -> dict:
    out = dict(current) if current is not None else {}
    for name, (parse, default) in rule.fields.items():
        if name in entry:
            out[name] = _parse(parse, entry, name)
        elif current is None:
            if default is REQUIRED:
                raise FieldError(f"has no {name!r}")
            out[name] = default
    for name in rule.extend:
        if f"add_{name}" in entry:
            parse = rule.fields[name][0]
            out[name] = tuple(out[name]) + tuple(_parse(parse, entry, f"add_{name}"))
    return out


def _parse(parse: Callable, entry: Mapping, name: str):
    try:
        return parse(entry[name])
    except FieldError as exc:
        raise _AtField(name, str(exc)) from None


def read_table(path: str | Path, rule: EntryRule, *, override: str | Path | None = None) -> dict[str, dict]:
    """The entries of the base file ``path``, with the file ``override`` (if given) merged on."""
    table: dict[str, dict] = {}
    merge_file(table, read_toml(path), rule, base=True)
    if override is not None:
        merge_file(table, read_toml(override), rule)
    return table


def override_path(corpus_dir: str | Path | None, name: str) -> Path | None:
    """The corpus folder's override file ``name``, or None when there is none."""
    if corpus_dir is None:
        return None
    path = Path(corpus_dir) / name
    return path if path.is_file() else None
