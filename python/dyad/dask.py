"""Coding on Dask: bags, DataFrames and JSON Lines shards, on one machine or many.

    import dyad.dask
    events = dyad.dask.code_bag(bag).compute()            # bag of docs -> bag of events
    frame = dyad.dask.code_dataframe(ddf).compute()        # id/date/text columns -> events
    reports = dyad.dask.code_shards(paths, "out/")         # JSON Lines shards -> part files

and the command line (python3 -m dyad.dask, build/python/dyad-dask,
python/dyad_dask.py):

    dyad-dask --scheduler local --workers 2 --out out/ shards/*.jsonl.gz

Every function runs on whatever Dask scheduler is active (a distributed
Client if one exists). Workers need dyad importable (PYTHONPATH=build/python)
and, for shards, the input and output paths. A Coder travels to workers as its
dictionary path; each worker process loads a dictionary once and shares it
between tasks while its files are unchanged.

Results are those of single-process coding: code_shards reads each shard as
`dyad code --input-format jsonl SHARD` does (same events, same order, same
"file:line" errors), and writes them as that command prints them.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import sys
import threading
import time
import zlib
from typing import Iterable, Sequence

import dask
import pandas as pd

from ._dyad import Coder
from .frame import to_frame

SHARD_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")

_lock = threading.Lock()
_live: dict = {}


def _spec(coder) -> str | None:
    """What a task needs to make the coder: None (the default dictionaries of
    the process that codes) or an absolute dictionary path."""
    if coder is None:
        return None
    if isinstance(coder, Coder):
        return coder.__getstate__()[0]
    return os.path.abspath(os.fspath(coder))


def worker_coder(spec: str | None) -> Coder:
    """The Coder for `spec` in this process. Making one is cheap once the
    dictionary is loaded: the last coder per spec is kept, so its dictionary
    stays in memory and is reused until its files change."""
    coder = Coder(spec)
    with _lock:
        _live[spec] = coder
    return coder


# ---------------------------------------------------------------- bags


def _code_partition(docs, spec, threads):
    return worker_coder(spec).code_many(docs, threads=threads)


def code_bag(bag, coder=None, threads: int = 1):
    """A dask.bag of documents (dicts with "text" and optional "id", "date",
    "url", "title", "source", or (id, date, text) tuples) -> a bag of event
    dicts (as Coder.code gives them), in document order. `coder`: a Coder, a
    dictionary directory, or None for the default dictionaries. `threads`:
    coding threads per task (1 lets Dask's worker threads do the parallelism)."""
    return bag.map_partitions(
        functools.partial(_code_partition, spec=_spec(coder), threads=threads))


# ---------------------------------------------------------------- DataFrames


def _missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, (str, bytes)):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _code_frame(pdf: pd.DataFrame, spec, text, id, date, threads) -> pd.DataFrame:
    ids = pdf[id] if id is not None else pdf.index.to_series()
    if date is None:
        dates = [None] * len(pdf)
    elif pd.api.types.is_datetime64_any_dtype(pdf[date]):
        dates = pdf[date].dt.strftime("%Y-%m-%d")
    else:
        dates = pdf[date]
    docs = [{"id": None if _missing(i) else i, "date": None if _missing(d) else d, "text": t}
            for i, d, t in zip(ids, dates, pdf[text])]
    return to_frame(worker_coder(spec).code_many(docs, threads=threads))


def code_dataframe(ddf, coder=None, text: str = "text", id: str | None = "id",
                   date: str | None = "date", threads: int = 1):
    """A dask DataFrame with one document per row -> a dask DataFrame of events
    with the columns and dtypes of dyad.to_frame (category columns with unknown
    categories; divisions unknown). `text`, `id`, `date` name the columns; id=None
    takes the ids from the index, date=None codes without dates. A date column
    may hold 'YYYY-MM-DD' strings, dates or datetime64 values; missing values
    mean no date."""
    from dask.dataframe.utils import clear_known_categories

    for role, name in (("text", text), ("id", id), ("date", date)):
        if name is not None and name not in ddf.columns:
            raise KeyError(f"code_dataframe: no {role} column {name!r} (columns: {list(ddf.columns)})")
    meta = clear_known_categories(to_frame([]))
    fn = functools.partial(_code_frame, spec=_spec(coder), text=text, id=id, date=date,
                           threads=threads)
    return ddf.map_partitions(fn, meta=meta).clear_divisions()


# ---------------------------------------------------------------- shards


def _read_shard(path: str) -> bytes:
    """A shard's bytes, decompressed if it ends in .gz. Raises OSError with
    the message to report."""
    try:
        raw = open(path, "rb")
    except OSError as e:
        raise OSError(f"cannot open file ({e.strerror or e})") from None
    with raw:
        if not path.endswith(".gz"):
            return raw.read()
        try:
            with gzip.open(raw, "rb") as f:
                return f.read()
        except (OSError, EOFError, zlib.error) as e:
            raise OSError(f"bad gzip data ({e}); nothing coded from this shard") from None


def _code_shard(name: str, path: str, out_path: str, spec, date, threads) -> dict:
    """Codes one JSON Lines shard (plain or .gz) at `path` into out_path;
    `name` (the path as the user gave it) names it in "name:line" errors and in
    the ids of records without one, as `dyad code` does. Never raises for bad
    input: the report says what went wrong."""
    report = {"input": name, "output": None, "documents": 0, "events": 0, "errors": [],
              "error": None}
    coder = worker_coder(spec)
    try:
        data = _read_shard(path)
    except OSError as e:
        report["error"] = f"{name}: {e}"
        return report
    # The record loop of `dyad code --input-format jsonl` over the bytes read.
    result = coder.code_jsonl_bytes(data, name, date=date, threads=threads)
    del data
    report["documents"] = result["documents"]
    report["events"] = result["events"]
    report["errors"] = [list(e) for e in result["errors"]]
    tmp = f"{out_path}.tmp-{os.getpid()}-{threading.get_ident()}"
    try:
        with open(tmp, "wb") as f:
            f.write(result["jsonl"])
        os.replace(tmp, out_path)
    except OSError as e:
        report["error"] = f"{name}: cannot write {out_path}: {e.strerror or e}"
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return report
    report["output"] = out_path
    return report


def expand_inputs(inputs: Iterable[str]) -> tuple[list[str], list[str]]:
    """Files as given, directories as their *.jsonl, *.ndjson (and .gz) files
    in name order. Returns (shards, problems)."""
    shards, problems = [], []
    for p in inputs:
        if os.path.isdir(p):
            found = sorted(f for f in os.listdir(p) if f.endswith(SHARD_SUFFIXES))
            if not found:
                problems.append(f"{p}: no {', '.join('*' + s for s in SHARD_SUFFIXES)} files in directory")
            shards.extend(os.path.join(p, f) for f in found)
        else:
            shards.append(p)
    return shards, problems


def part_name(index: int) -> str:
    return f"part-{index:05d}.jsonl"


def code_shards(paths: Sequence[str], out_dir: str, coder=None, date: str | None = None,
                threads: int = 1) -> list[dict]:
    """Codes JSON Lines shards (.jsonl, or .jsonl.gz) as Dask tasks, one per
    shard, and writes shard i's events to out_dir/part-{i:05d}.jsonl exactly as
    `dyad code --input-format jsonl SHARD` prints them. Returns one report per
    shard, in order: {"input", "output" (None when nothing was written),
    "documents", "events", "errors": [[where, message]] for bad records, "error":
    why the whole shard failed, or None}. Relative paths are taken from this
    process's working directory; every path must be valid on the workers
    (a shared file system on a multi-machine cluster)."""
    os.makedirs(out_dir, exist_ok=True)
    spec = _spec(coder)
    out_dir = os.path.abspath(out_dir)
    tasks = [dask.delayed(_code_shard, pure=False)(
                 os.fspath(p), os.path.abspath(p), os.path.join(out_dir, part_name(i)), spec, date,
                 threads)
             for i, p in enumerate(paths)]
    return list(dask.compute(*tasks))


# ---------------------------------------------------------------- command line


def _source_stamp() -> str:
    import hashlib

    from . import __version__
    with open(__file__, "rb") as f:
        return f"{__version__}-{hashlib.sha1(f.read()).hexdigest()[:12]}"


# Identifies the dyad.dask this process has loaded, so that workers still
# running an older build (started before a rebuild) are caught before coding.
_STAMP = _source_stamp()


def _worker_check(spec, stamp):
    """Run on every worker before coding: same dyad, and can it load the dictionaries?"""
    try:
        if _STAMP != stamp:
            return {"ok": False, "error": f"runs dyad {_STAMP} from {__file__}, the client "
                                          f"{stamp} (restart the workers after a rebuild)"}
        return {"ok": True, "dict_dir": worker_coder(spec).dict_dir}
    except Exception as e:  # reported to the user, per worker
        return {"ok": False, "error": f"{type(e).__name__}: {e} (is the dictionary directory at "
                                      "the same path on every worker?)"}


def _local_cluster(workers: int, threads: int):
    from distributed import LocalCluster

    try:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=threads, processes=True,
                               dashboard_address=None)
        return cluster, f"local cluster, {workers} worker processes x {threads} thread(s)"
    except Exception as e:  # no process spawning here (sandboxes): same work in threads
        print(f"dyad-dask: cannot start worker processes ({type(e).__name__}: {e}); "
              "using worker threads in this process", file=sys.stderr)
        cluster = LocalCluster(n_workers=workers, threads_per_worker=threads, processes=False,
                               dashboard_address=None)
        return cluster, f"local cluster, {workers} in-process workers x {threads} thread(s)"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="dyad-dask",
        description="Code JSON Lines shards (.jsonl, .jsonl.gz; one document per line: id, date, "
                    "text) on a Dask cluster. Writes OUT/part-NNNNN.jsonl per input shard (the "
                    "events exactly as `dyad code` prints them) and OUT/manifest.json; reports "
                    "every bad shard and record on stderr and exits 1 if there was any.")
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="JSON Lines shards, or directories of them (*.jsonl, *.ndjson, .gz)")
    parser.add_argument("--scheduler", default="local",
                        help="tcp://HOST:PORT of a running dask-scheduler, or 'local' (default): "
                             "a LocalCluster on this machine")
    parser.add_argument("--workers", type=int, default=None,
                        help="local: worker processes (default: one per core); remote: wait "
                             "until this many workers have joined")
    parser.add_argument("--threads-per-worker", type=int, default=1,
                        help="local: threads per worker process (default 1)")
    parser.add_argument("--dict", dest="dict_dir", default=None,
                        help="dictionary directory (must exist at this path on every worker); "
                             "default: each worker's $DYAD_DICT_DIR or bundled data/dict")
    parser.add_argument("--date", default=None, help="date for records without one (YYYY-MM-DD)")
    parser.add_argument("--out", required=True, help="output directory")
    parser.add_argument("--overwrite", action="store_true",
                        help="replace part-*.jsonl and manifest.json already in OUT")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds to wait for the scheduler and workers (default 60)")
    args = parser.parse_args(argv)

    def error(message: str) -> None:
        print(f"dyad-dask: error: {message}", file=sys.stderr)

    if args.workers is not None and args.workers < 1:
        parser.error("--workers must be at least 1")
    if args.threads_per_worker < 1:
        parser.error("--threads-per-worker must be at least 1")
    try:  # fail fast on a bad dictionary or date, before any cluster starts
        local = Coder(args.dict_dir)
        local.code("", date=args.date)
    except (OSError, ValueError) as e:
        error(str(e))
        return 1
    spec = _spec(local)  # None: each worker's default dictionaries

    shards, problems = expand_inputs(args.inputs)
    os.makedirs(args.out, exist_ok=True)
    old = [f for f in os.listdir(args.out) if f.startswith("part-") or f == "manifest.json"]
    if old and not args.overwrite:
        error(f"{args.out} already holds {len(old)} output file(s) (part-*.jsonl, "
              "manifest.json); use --overwrite to replace them")
        return 2
    for f in old:
        os.unlink(os.path.join(args.out, f))

    from distributed import Client

    start = time.monotonic()
    cluster = None
    try:
        if args.scheduler == "local":
            cluster, where = _local_cluster(args.workers or os.cpu_count() or 1,
                                            args.threads_per_worker)
            client = Client(cluster)
        else:
            client = Client(args.scheduler, timeout=args.timeout)
            if args.workers:
                client.wait_for_workers(args.workers, timeout=args.timeout)
            where = f"{args.scheduler}, {len(client.scheduler_info()['workers'])} workers"
        with client:
            checks = client.run(_worker_check, spec, _STAMP, on_error="return")
            bad = {w: r for w, r in checks.items()
                   if not (isinstance(r, dict) and r.get("ok"))}
            if bad:
                for w, r in bad.items():
                    if isinstance(r, dict):
                        error(f"worker {w} cannot code: {r['error']}")
                    else:  # an exception: typically dyad cannot be imported there
                        error(f"worker {w} cannot code: {type(r).__name__}: {r} (is build/python "
                              "on its PYTHONPATH?)")
                return 1
            reports = code_shards(shards, args.out, coder=spec, date=args.date)
    except Exception as e:  # the cluster failed (scheduler gone, worker killed, ...)
        error(f"{type(e).__name__}: {e}")
        return 1
    finally:
        if cluster is not None:
            cluster.close()
    seconds = time.monotonic() - start

    documents = sum(r["documents"] for r in reports)
    events = sum(r["events"] for r in reports)
    failed_records = sum(len(r["errors"]) for r in reports)
    failed_shards = sum(1 for r in reports if r["error"]) + len(problems)
    for p in problems:
        error(p)
    for r in reports:
        if r["error"]:
            error(r["error"])
        for where_, message in r["errors"]:
            error(f"{where_}: {message}")
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump({"inputs": list(args.inputs), "problems": problems, "shards": reports,
                   "documents": documents, "events": events, "failed_records": failed_records,
                   "failed_shards": failed_shards}, f, indent=1)
        f.write("\n")
    print(f"dyad-dask: {len(shards)} shards, {documents} documents, {events} events in "
          f"{seconds:.2f} s ({where}); {failed_records} records failed, {failed_shards} shards "
          f"failed; events in {args.out}/part-*.jsonl", file=sys.stderr)
    return 1 if failed_records or failed_shards else 0


if __name__ == "__main__":
    # python3 -m dyad.dask: run the functions of the imported module dyad.dask,
    # which workers import by name, not copies of this __main__ module's.
    from dyad.dask import main as _main

    sys.exit(_main())
