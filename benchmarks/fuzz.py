"""Fuzz the reader: crashes and parse time (issue 9, item 1).

    python -m benchmarks.fuzz [--n 10000] [--seed 0] [--budget 5] [--workers 2]
                              [--timeout SECONDS] [--out benchmarks/out/fuzz] [--keep 10]
    python -m benchmarks.fuzz --replay s0-123 [--profile]    # or --replay path/to/input.bin

Input ``i`` of seed ``s`` (id ``s{s}-{i}``) is a function of the seed, the index and the files
it mutates, nothing else: mutations of the real texts in ``corpus/`` and
``tests/fixtures/real/*.txt`` (byte flips, line deletions and duplications, truncation,
repeated blocks, splices of two documents, runs of odd characters -- U+3000, U+2011, U+00AD,
NUL, RTL marks, combining marks, surrogates written as CESU-8, invalid UTF-8 --, very long
lines, many ``_ * - ,`` or digits, the pathological families of
``tests/fixtures/pathological/``), plus a small share of damaged PDFs from
``tests/fixtures/real/*.pdf`` and HTML that starts with ``%PDF-``.

Each input goes through ``analytics.reader.parse_bytes`` in a worker process; a worker that
runs past ``--timeout`` (default twice the budget) is killed and replaced.  ValueError
(including NotAResolution) is a refusal, which is fine; any other exception is a crash.
Over budget: parse time above ``--budget`` seconds (a kill counts).  The slowest inputs and
every crashing or over-budget one are written to ``--out`` (``ID.bin`` + ``ID.json``) with
their id, so ``--replay ID`` runs one again in-process.  Exit status 1 on any crash or input
over budget.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import math
import multiprocessing as mp
import os
import random
import resource
import signal
import sys
import time
import traceback
from multiprocessing.connection import wait
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "tests" / "fixtures" / "real"
MAX_BYTES = 2_000_000
SIZE_CAPS = ((60_000, 85), (400_000, 12), (MAX_BYTES, 3))  # (cap in bytes, share in %)
PDF_SHARE = 0.03


def load_families():
    name = "pathological_families"
    if name not in sys.modules:
        path = ROOT / "tests" / "fixtures" / "pathological" / "families.py"
        spec = importlib.util.spec_from_file_location(name, path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    return sys.modules[name]


# --- sources ---------------------------------------------------------------------------------

_TEXTS: list[tuple[str, str]] | None = None
_PDFS: list[tuple[str, bytes]] | None = None


def texts() -> list[tuple[str, str]]:
    global _TEXTS
    if _TEXTS is None:
        paths = sorted((ROOT / "corpus").glob("*.*")) + sorted(REAL.glob("*.txt"))
        _TEXTS = [(p.name, p.read_text(encoding="utf-8")) for p in paths]
    return _TEXTS


def pdfs() -> list[tuple[str, bytes]]:
    global _PDFS
    if _PDFS is None:  # the four smallest: pypdf is slow, and damage is what matters
        paths = sorted(REAL.glob("*.pdf"), key=lambda p: (p.stat().st_size, p.name))[:4]
        _PDFS = [(p.name, p.read_bytes()) for p in paths]
    return _PDFS


# --- mutations -------------------------------------------------------------------------------

ODD_CHARS = ["\u3000", "\u2011", "\u00ad", "\x00", "\u200f", "\u202e", "\u200e", "\u0301",
             "\u0308", "\ufeff", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\u00a0",
             "\u202f", "\u2009", "\u200b", "\ud800", "\udfff", "\t", "\r", "\ufffd", "\U0001f600",
             "\u0644", "\u4e00"]
RUN_CHARS = ["_", "*", "-", ",", "1", "9", ".", " ", "\n", "#", "[", "(", ";", ":", "/", "|",
             "=", "\\", "<sup>1</sup>", "_x\n", "*x\n", "x-\n", " ,", "1. ", "A/RES/1/1 ",
             "\n\n", " \n", "The General Assembly,", "draft resolution", "plenary meeting "]


def _loguniform(rng: random.Random, lo: int, hi: int) -> int:
    return int(math.exp(rng.uniform(math.log(lo), math.log(hi))))


def _lines(text: str) -> list[str]:
    return text.split("\n")


def op_delete_lines(rng, text):
    lines = _lines(text)
    for _ in range(rng.randint(1, max(1, len(lines) // 4))):
        if len(lines) > 1:
            del lines[rng.randrange(len(lines))]
    return "\n".join(lines), "delete_lines"


def op_dup_lines(rng, text):
    lines = _lines(text)
    k, r = rng.randint(1, 20), _loguniform(rng, 2, 2000)
    for _ in range(k):
        i = rng.randrange(len(lines))
        lines[i:i + 1] = [lines[i]] * r
    return "\n".join(lines), f"dup_lines(k={k},r={r})"


def op_truncate(rng, text):
    p = rng.randrange(len(text) + 1)
    return (text[:p], f"truncate(:{p})") if rng.random() < 0.7 else (text[p:], f"truncate({p}:)")


def op_repeat_block(rng, text):
    lines = _lines(text)
    i = rng.randrange(len(lines))
    j = min(len(lines), i + _loguniform(rng, 1, 300))
    r = _loguniform(rng, 2, 80)
    lines[i:j] = lines[i:j] * r
    return "\n".join(lines), f"repeat_block({i}:{j}x{r})"


def op_repeat_doc(rng, text):
    r = _loguniform(rng, 2, 60)
    return text * r, f"repeat_doc(x{r})"


def op_splice(rng, text):
    name, other = rng.choice(texts())
    a, b = rng.randrange(len(text) + 1), rng.randrange(len(other) + 1)
    return text[:a] + other[b:], f"splice({a}|{name}:{b})"


def op_insert_odd(rng, text):
    ch, k, n = rng.choice(ODD_CHARS), rng.randint(1, 20), _loguniform(rng, 1, 50000)
    for _ in range(k):
        p = rng.randrange(len(text) + 1)
        text = text[:p] + ch * n + text[p:]
    return text, f"insert_odd({ch!r}x{n},k={k})"


def op_scatter_odd(rng, text):
    ch, rate = rng.choice(ODD_CHARS), rng.choice([0.01, 0.1, 0.5, 1.0])
    target = rng.choice([" ", "-", "\n", ",", "e"])
    out = "".join(ch if c == target and rng.random() < rate else c for c in text)
    return out, f"scatter_odd({target!r}->{ch!r},{rate})"


def op_char_run(rng, text):
    unit, k = rng.choice(RUN_CHARS), rng.randint(1, 5)
    n = max(1, _loguniform(rng, 1, 200000) // len(unit))
    for _ in range(k):
        p = rng.randrange(len(text) + 1)
        text = text[:p] + unit * n + text[p:]
    return text, f"char_run({unit!r}x{n},k={k})"


def op_long_line(rng, text):
    lines = _lines(text)
    if rng.random() < 0.3:
        return " ".join(lines), "long_line(all)"
    i = rng.randrange(len(lines))
    j = min(len(lines), i + _loguniform(rng, 2, 5000))
    lines[i:j] = [" ".join(lines[i:j])]
    return "\n".join(lines), f"long_line({i}:{j})"


def op_family(rng, text):
    fam = load_families()
    name = rng.choice([n for n, f in fam.FAMILIES.items() if f.where != "doc"])
    f = fam.FAMILIES[name]
    n = _loguniform(rng, 1, 4 * f.n)
    unit = f.make(n)
    if fam.OPENER not in text:
        return text + "\n" + unit, f"family({name},{n},appended)"
    try:
        if f.where == "head":
            return fam.in_head(text, unit), f"family({name},{n})"
        if f.where == "lead":
            return fam.in_lead(text, unit), f"family({name},{n})"
        return fam.in_paragraph(text, unit, which=rng.randint(1, 30)), f"family({name},{n})"
    except (ValueError, StopIteration):
        return text + "\n" + unit, f"family({name},{n},appended)"


def op_line_end_hyphens(rng, text):
    lines = _lines(text)
    rate = rng.choice([0.05, 0.3, 1.0])
    return "\n".join(ln + "-" if rng.random() < rate else ln for ln in lines), f"line_end_hyphens({rate})"


def op_strip_chars(rng, text):
    ch = rng.choice(["-", "\n", " ", ",", ".", "\u2011"])
    return text.replace(ch, ""), f"strip({ch!r})"


def op_case(rng, text):
    how = rng.choice(["upper", "lower", "swapcase"])
    return getattr(text, how)(), f"case({how})"


def op_newlines(rng, text):
    nl = rng.choice(["\r\n", "\r", "\n\n", "\n \n", "\f\n", "\u2028"])
    return text.replace("\n", nl), f"newlines({nl!r})"


def op_shuffle_block(rng, text):
    lines = _lines(text)
    i = rng.randrange(len(lines))
    j = min(len(lines), i + _loguniform(rng, 2, 400))
    block = lines[i:j]
    rng.shuffle(block)
    lines[i:j] = block
    return "\n".join(lines), f"shuffle_block({i}:{j})"


def op_markup(rng, text):
    words = text.split(" ")
    rate = rng.choice([0.01, 0.1, 0.5])
    marks = ["*{}*", "**{}**", "_{}_", "__{}__", "*{}", "{}*", "_{}", "{}<sup>1</sup>", "# {}",
             "<<ODS {}>>", "%%%{}", "[{}]", "{}\\"]
    m = rng.choice(marks)
    return " ".join(m.format(w) if rng.random() < rate else w for w in words), f"markup({m},{rate})"


def op_numbers(rng, text):
    n = _loguniform(rng, 2, 5000)
    style = rng.choice(["{}. x", "{}.", "{}", "{}/{}", "({})", "{}. Decides", " {} "])
    block = "\n".join(style.format(k, k) for k in range(1, n + 1))
    p = rng.randrange(len(text) + 1)
    return text[:p] + "\n" + block + "\n" + text[p:], f"numbers({style!r},{n})"


def op_footnote_marks(rng, text):
    key = rng.choice(["\u00b2", "\u00b9", "\u0663", "\u2460", "9" * _loguniform(rng, 4, 6000), "*", "***",
                      "a", "1a", "0", "007", "\uff11"])
    form = rng.choice(["\n<sup>{}</sup> Note text.\n", "\n{} Note text.\n", "word<sup>{}</sup> ",
                       "word,{} ", "\n__________\n{} Note text.\n"])
    k = rng.randint(1, 10)
    for _ in range(k):
        p = rng.randrange(len(text) + 1)
        text = text[:p] + form.format(key) + text[p:]
    return text, f"footnote_marks({form.format(key)[:40]!r},k={k})"


TEXT_OPS = [(op_delete_lines, 3), (op_dup_lines, 3), (op_truncate, 3), (op_repeat_block, 3),
            (op_repeat_doc, 1), (op_splice, 3), (op_insert_odd, 4), (op_scatter_odd, 3),
            (op_char_run, 4), (op_long_line, 3), (op_family, 3), (op_line_end_hyphens, 2),
            (op_strip_chars, 2), (op_case, 1), (op_newlines, 2), (op_shuffle_block, 2),
            (op_markup, 3), (op_numbers, 2), (op_footnote_marks, 2)]


def _bytes_flip(rng, data: bytes) -> tuple[bytes, str]:
    b = bytearray(data)
    k = _loguniform(rng, 1, max(2, len(b) // 50))
    for _ in range(k):
        if b:
            b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
    return bytes(b), f"byte_flip({k})"


def _bytes_insert(rng, data: bytes) -> tuple[bytes, str]:
    seq = rng.choice([b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xff", b"\xc3", b"\x80", b"\x00",
                      b"\xf0\x9f", b"\xe2\x80"])
    k = rng.randint(1, 50)
    for _ in range(k):
        p = rng.randrange(len(data) + 1)
        data = data[:p] + seq * rng.randint(1, 4) + data[p:]
    return data, f"bytes_insert({seq!r},k={k})"


def _encode(rng, text: str) -> tuple[bytes, str]:
    enc = rng.choices(["utf-8", "utf-8-sig", "utf-16", "utf-16-be-bom", "cp1252"],
                      weights=[85, 4, 4, 2, 5])[0]
    if enc == "utf-16-be-bom":
        return b"\xfe\xff" + text.encode("utf-16-be", "surrogatepass"), enc
    if enc == "cp1252":
        return text.encode("cp1252", "replace"), enc
    return text.encode(enc, "surrogatepass"), enc


def _pdf_input(rng) -> tuple[bytes, str]:
    how = rng.choice(["truncate", "flip", "chunk", "html", "text", "tail"])
    name, data = rng.choice(pdfs())
    if how == "truncate":
        p = rng.randrange(len(data))
        return data[:p], f"pdf:{name}:truncate({p})"
    if how == "flip":
        b = bytearray(data)
        k = _loguniform(rng, 1, 200)
        for _ in range(k):
            b[rng.randrange(len(b))] = rng.randrange(256)
        return bytes(b), f"pdf:{name}:flip({k})"
    if how == "chunk":
        a = rng.randrange(len(data))
        b = min(len(data), a + _loguniform(rng, 1, 50000))
        return data[:a] + data[b:], f"pdf:{name}:drop({a}:{b})"
    if how == "tail":
        return data[:5] + data[rng.randrange(len(data)):], f"pdf:{name}:header+tail"
    tname, text = rng.choice(texts())
    if how == "html":
        return (f"%PDF-1.7\n<html><body><pre>{text}</pre></body></html>").encode(), f"pdf:html:{tname}"
    return b"%PDF-1.4\n" + text.encode("utf-8"), f"pdf:text:{tname}"


def make_input(seed: int, i: int) -> tuple[bytes, str]:
    """Input `i` of `seed`: (bytes, recipe).  Deterministic."""
    rng = random.Random(f"benchmarks.fuzz:{seed}:{i}")
    if rng.random() < PDF_SHARE:
        return _pdf_input(rng)
    name, text = rng.choice(texts())
    caps, shares = zip(*SIZE_CAPS)
    cap = rng.choices(caps, weights=shares)[0]
    recipe = [name]
    ops, weights = zip(*TEXT_OPS)
    for op in rng.choices(ops, weights=weights, k=rng.choice([1, 1, 2, 2, 3, 4])):
        text, what = op(rng, text)
        recipe.append(what)
        if len(text) > cap:
            text = text[:cap]
            recipe.append(f"cap({cap // 1000}k)")
        if not text:
            text = " "
    data, enc = _encode(rng, text)
    if enc != "utf-8":
        recipe.append(enc)
    r = rng.random()
    if r < 0.06:
        data, what = _bytes_flip(rng, data)
        recipe.append(what)
    elif r < 0.12:
        data, what = _bytes_insert(rng, data)
        recipe.append(what)
    return data[:MAX_BYTES], " > ".join(recipe)


# --- running ---------------------------------------------------------------------------------

def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/analytics/" in f.filename] or frames
    if not ours:
        return "?"
    f = ours[-1]
    return f"{Path(f.filename).name}:{f.lineno} ({f.name})"


def run_one(data: bytes) -> dict:
    from analytics.reader import parse_bytes
    t0 = time.perf_counter()
    try:
        parse_bytes(data, source="fuzz.txt")
        return {"status": "ok", "info": "", "time": time.perf_counter() - t0}
    except ValueError as exc:
        elapsed = time.perf_counter() - t0
        last = traceback.extract_tb(exc.__traceback__)[-1:]
        if last and "/analytics/" in last[0].filename and (last[0].line or "").lstrip().startswith("raise"):
            return {"status": "refused", "info": str(exc)[:200], "time": elapsed}
        # not one of the reader's own refusals: int("\u00b2"), a library's ValueError, ...
        return {"status": "suspect", "time": elapsed,
                "info": f"{type(exc).__name__}: {str(exc)[:200]} at {_where(exc)}",
                "traceback": traceback.format_exc()[-3000:]}
    except Exception as exc:  # noqa: BLE001 - the crash is the finding
        elapsed = time.perf_counter() - t0
        return {"status": "crash", "time": elapsed,
                "info": f"{type(exc).__name__}: {str(exc)[:200]} at {_where(exc)}",
                "traceback": traceback.format_exc()[-3000:]}


def _worker(conn, seed: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:  # a runaway allocation becomes a MemoryError (a crash), not the machine's problem
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
    except (ValueError, OSError):
        pass
    import analytics.reader  # noqa: F401 - imported before any timing
    try:
        import pypdf  # noqa: F401 - the reader imports it lazily: not inside the first timing
    except ImportError:
        pass
    import logging
    import warnings
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # damaged PDFs: thousands of warnings
    warnings.simplefilter("ignore")
    texts(), pdfs(), load_families()
    while True:
        i = conn.recv()
        if i is None:
            return
        data, recipe = make_input(seed, i)
        conn.send(("start", i, len(data), recipe))
        res = run_one(data)
        conn.send(("done", i, res))


class _Slot:
    def __init__(self, ctx, seed: int):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, seed), daemon=True)
        self.proc.start()
        child.close()
        self.task: int | None = None
        self.started: float | None = None
        self.meta: tuple[int, str] | None = None

    def kill(self) -> None:
        if self.proc.is_alive():
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.join()
        self.conn.close()


def run(n: int, seed: int, budget: float, timeout: float, workers: int) -> list[dict]:
    ctx = mp.get_context("fork")
    slots = [_Slot(ctx, seed) for _ in range(max(1, workers))]
    pending = list(range(n - 1, -1, -1))
    results: list[dict] = []
    t_start, last_report = time.time(), time.time()

    def assign(slot: _Slot) -> None:
        if pending:
            slot.task, slot.started, slot.meta = pending.pop(), None, None
            slot.conn.send(slot.task)
        else:
            slot.task = None

    for s in slots:
        assign(s)
    while any(s.task is not None for s in slots):
        busy = [s for s in slots if s.task is not None]
        ready = wait([s.conn for s in busy], timeout=0.2)
        now = time.perf_counter()
        for s in busy:
            if s.conn in ready:
                try:
                    msg = s.conn.recv()
                except (EOFError, OSError):
                    code = s.proc.exitcode
                    size, recipe = s.meta or (0, "?")
                    results.append({"i": s.task, "size": size, "recipe": recipe, "status": "crash",
                                    "time": now - (s.started or now),
                                    "info": f"worker died (exit code {code})"})
                    s.kill()
                    slots[slots.index(s)] = s = _Slot(ctx, seed)
                    assign(s)
                    continue
                if msg[0] == "start":
                    s.started, s.meta = time.perf_counter(), (msg[2], msg[3])
                else:
                    _, i, res = msg
                    res.update(i=i, size=s.meta[0], recipe=s.meta[1])
                    results.append(res)
                    assign(s)
            elif s.started is not None and now - s.started > timeout:
                size, recipe = s.meta
                results.append({"i": s.task, "size": size, "recipe": recipe, "status": "timeout",
                                "time": now - s.started, "info": f"killed after {timeout:.0f} s"})
                s.kill()
                slots[slots.index(s)] = s = _Slot(ctx, seed)
                assign(s)
        if time.time() - last_report > 30:
            last_report = time.time()
            print(f"  ... {len(results)}/{n} inputs, {time.time() - t_start:.0f} s", file=sys.stderr,
                  flush=True)
    for s in slots:
        try:
            s.conn.send(None)
        except OSError:
            pass
        s.proc.join(timeout=2)
        s.kill()
    return sorted(results, key=lambda r: r["i"])


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    v = sorted(values)
    return v[min(len(v) - 1, int(math.ceil(q * len(v))) - 1)]


def report(results: list[dict], *, seed: int, budget: float, timeout: float, workers: int,
           wall: float, out: Path, keep: int) -> int:
    def rid(r):
        return f"s{seed}-{r['i']}"
    crashes = [r for r in results if r["status"] == "crash"]
    suspects = [r for r in results if r["status"] == "suspect"]
    over = [r for r in results if r["time"] > budget or r["status"] == "timeout"]
    times = [r["time"] for r in results]
    mb = sum(r["size"] for r in results) / 1e6
    counts = {k: sum(1 for r in results if r["status"] == k)
              for k in ("ok", "refused", "suspect", "crash", "timeout")}
    big = [r for r in results if r["size"] >= 50_000]
    worst_mb = max(big, key=lambda r: r["time"] / r["size"], default=None)
    print(f"fuzz: {len(results)} inputs (seed {seed}), {workers} workers, budget {budget:g} s, "
          f"kill after {timeout:g} s; {wall:.0f} s wall, {mb:.1f} MB")
    print(f"  parsed {counts['ok']} | refused (ValueError) {counts['refused']} | "
          f"crashes {len(crashes)} | over budget {len(over)} (killed {counts['timeout']}) | "
          f"suspect refusals {len(suspects)}")
    print(f"  time per input: median {_pct(times, .5):.3f} s, p99 {_pct(times, .99):.3f} s, "
          f"max {max(times, default=0):.2f} s")
    print(f"  time per MB: {sum(times) / mb if mb else 0:.2f} s/MB overall"
          + (f"; worst {worst_mb['time'] / worst_mb['size'] * 1e6:.1f} s/MB ({rid(worst_mb)}, "
             f"{worst_mb['size'] / 1e6:.2f} MB)" if worst_mb else ""))
    reasons: dict[str, int] = {}
    for r in results:
        if r["status"] == "refused":
            key = r["info"].split(" (")[0].split(":")[0] if r["info"].startswith("unreadable PDF") \
                else r["info"][:70]
            reasons[key] = reasons.get(key, 0) + 1
    if reasons:
        print("  refusals: " + "; ".join(f"{v} {k}" for k, v in sorted(reasons.items(), key=lambda kv: -kv[1])[:4]))
    by_kind: dict[str, list[dict]] = {}
    for r in crashes:
        by_kind.setdefault(r["info"].split(": ")[0] + " " + r["info"].rsplit(" at ", 1)[-1], []).append(r)
    for kind, rs in sorted(by_kind.items(), key=lambda kv: -len(kv[1])):
        print(f"  CRASH x{len(rs)}: {rs[0]['info']}  e.g. {', '.join(rid(r) for r in rs[:5])}")
    by_kind = {}
    for r in suspects:
        by_kind.setdefault(r["info"].split(": ")[0] + " " + r["info"].rsplit(" at ", 1)[-1], []).append(r)
    for kind, rs in sorted(by_kind.items(), key=lambda kv: -len(kv[1])):
        print(f"  SUSPECT REFUSAL x{len(rs)} (a ValueError the reader did not raise itself): "
              f"{rs[0]['info'][:200]}  e.g. {', '.join(rid(r) for r in rs[:5])}")
    for r in sorted(over, key=lambda r: -r["time"]):
        print(f"  OVER BUDGET {rid(r)}: {r['time']:.2f} s, {r['size']:,} B, {r['status']}: {r['recipe'][:150]}")
    slowest = sorted(results, key=lambda r: -r["time"])[:keep]
    print(f"  slowest {len(slowest)}:")
    for r in slowest:
        print(f"    {rid(r):>10} {r['time']:7.3f} s {r['size']:>9,} B {r['status']:8} {r['recipe'][:110]}")
    out.mkdir(parents=True, exist_ok=True)
    for old in list(out.glob(f"s{seed}-*.bin")) + list(out.glob(f"s{seed}-*.json")):
        old.unlink()  # a previous run of this seed (maybe with another generator): not ours
    save = {r["i"]: r for r in crashes + suspects + over + slowest}
    for r in save.values():
        data, _ = make_input(seed, r["i"])
        (out / f"{rid(r)}.bin").write_bytes(data)
        (out / f"{rid(r)}.json").write_text(json.dumps({"id": rid(r), **r}, indent=1, default=str))
    summary = {"seed": seed, "inputs": len(results), "budget": budget, "timeout": timeout,
               "workers": workers, "wall_s": wall, "mb": mb, **counts, "crashes": len(crashes),
               "over_budget": len(over), "suspects": len(suspects), "p99_s": _pct(times, .99), "max_s": max(times, default=0),
               "s_per_mb": sum(times) / mb if mb else 0, "saved": sorted(rid(r) for r in save.values())}
    (out / f"summary-s{seed}.json").write_text(json.dumps(summary, indent=1))
    print(f"  wrote {len(save)} inputs to {out}/ (replay: python -m benchmarks.fuzz --replay ID)")
    return 1 if crashes or over else 0


def replay(what: str, *, profile: bool) -> int:
    path = Path(what)
    if path.exists():
        data, recipe = path.read_bytes(), str(path)
    else:
        seed, i = what.lstrip("s").split("-")
        data, recipe = make_input(int(seed), int(i))
    print(f"{what}: {len(data):,} bytes; {recipe}")
    if profile:
        import cProfile
        import pstats
        prof = cProfile.Profile()
        prof.enable()
        res = run_one(data)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(12)
        pstats.Stats(prof).sort_stats("tottime").print_callers(4)
    else:
        res = run_one(data)
    print(f"{res['status']} in {res['time']:.3f} s {res['info']}")
    if res["status"] in ("crash", "suspect"):
        print(res.get("traceback", ""))
    return 0 if res["status"] != "crash" else 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--budget", type=float, default=5.0, help="seconds per input")
    ap.add_argument("--timeout", type=float, default=None, help="kill after (default 2 x budget)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "fuzz")
    ap.add_argument("--keep", type=int, default=10, help="how many of the slowest inputs to save")
    ap.add_argument("--replay", metavar="ID|FILE")
    ap.add_argument("--profile", action="store_true", help="with --replay: cProfile the parse")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    if args.replay:
        return replay(args.replay, profile=args.profile)
    timeout = args.timeout or 2 * args.budget
    t0 = time.time()
    results = run(args.n, args.seed, args.budget, timeout, args.workers)
    return report(results, seed=args.seed, budget=args.budget, timeout=timeout, workers=args.workers,
                  wall=time.time() - t0, out=args.out, keep=args.keep)


if __name__ == "__main__":
    sys.exit(main())
