#!/usr/bin/python3
"""Sentences per second from Python: one process, N threads, a Dask LocalCluster.

    PYTHONPATH=build/python /usr/bin/python3 bench/python_scaling.py [--sentences 60000]

On a generated wire-style corpus (dyad.synthetic: ~20 sentences per document,
40% background sentences with no event), measures:

  - `build/dyad code` on the corpus file (the CLI, one process; reference)
  - Coder.code in a Python loop (one thread)
  - Coder.code_many with 1, 2, ... threads (GIL released, std::thread)
  - dyad_dask.code_bag on a LocalCluster of 2 worker processes x 1 thread
  - dyad_dask.code_shards (what dyad-dask runs) on the same cluster, from
    JSON Lines shards to part files

Each figure is the best of --repeat runs; the cluster is started and warmed up
(dictionaries loaded on the workers) before it is timed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

try:
    import dyad
except ImportError:  # run without PYTHONPATH from a checkout built into build/
    sys.path.insert(0, os.path.join(REPO, "build", "python"))
    import dyad
import dyad.synthetic


def best_of(repeat: int, fn) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=60000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes")
    parser.add_argument("--threads", type=int, nargs="*", default=None,
                        help="thread counts for code_many (default: 1 2 ... cores)")
    parser.add_argument("--no-dask", action="store_true")
    args = parser.parse_args()

    cores = os.cpu_count() or 1
    thread_counts = args.threads or sorted({1, 2, cores} | ({4} if cores >= 4 else set()))
    docs, sentences = dyad.synthetic.make_corpus(args.sentences, seed=42)
    nbytes = sum(len(d["text"].encode()) for d in docs)
    coder = dyad.Coder()
    print(f"corpus: {sentences} sentences, {len(docs)} documents, {nbytes / 1e6:.1f} MB; "
          f"{cores} cores; dyad {dyad.__version__}; best of {args.repeat}")
    rows = []

    def row(name, kind, seconds, events):
        # kind: "dicts" (events as Python dicts) or "jsonl" (events as JSON Lines bytes)
        rows.append((name, kind, seconds))
        print(f"  {name:<52} {seconds:7.3f} s {sentences / seconds:>9,.0f} sentences/s "
              f"{events:>7} events", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        corpus = os.path.join(tmp, "corpus.jsonl")
        dyad.synthetic.write_jsonl(docs, corpus)
        with open(corpus, "rb") as f:
            data = f.read()
        print("one process:")
        cli = os.path.join(os.path.dirname(os.path.dirname(dyad.__file__)), os.pardir, "dyad")
        if os.path.isfile(cli):
            def run_cli():
                out = subprocess.run([cli, "code", corpus], check=True, capture_output=True).stdout
                return out.count(b"\n")
            seconds, events = best_of(args.repeat, run_cli)
            row("build/dyad code FILE (CLI, JSON Lines to a pipe)", "jsonl", seconds, events)

        def loop():
            events = []
            for d in docs:
                events.extend(coder.code(d["text"], date=d["date"], doc_id=d["id"]))
            return events
        seconds, result = best_of(args.repeat, loop)
        row("Coder.code loop, events kept (1 thread)", "dicts", seconds, len(result))
        del result
        for n in thread_counts:
            seconds, result = best_of(args.repeat, lambda: coder.code_many(docs, threads=n))
            row(f"Coder.code_many(threads={n})", "dicts", seconds, len(result))
            del result
        for n in thread_counts:
            seconds, result = best_of(args.repeat,
                                      lambda: coder.code_jsonl_bytes(data, corpus, threads=n))
            row(f"Coder.code_jsonl_bytes(threads={n})", "jsonl", seconds, result["events"])
        seconds, result = best_of(args.repeat,
                                  lambda: dyad.to_frame(coder.code_many(docs, threads=1)))
        row("dyad.to_frame(Coder.code_many(threads=1))", "frame", seconds, len(result))
        del result

        if not args.no_dask:
            import dask.bag as db
            import dask.dataframe as dd
            import pandas as pd
            from distributed import Client, LocalCluster, wait

            from dyad import dask as dyad_dask

            try:
                cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1,
                                       processes=True, dashboard_address=None)
                kind = "processes"
            except Exception as e:  # noqa: BLE001
                print(f"  (worker processes failed: {e}; using in-process workers)")
                cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1,
                                       processes=False, dashboard_address=None)
                kind = "in-process workers"
            print(f"dask LocalCluster, {args.workers} {kind} x 1 thread:")
            with cluster, Client(cluster):
                docs_bag = db.from_sequence(docs, npartitions=4 * args.workers).persist()
                wait(docs_bag)
                runs = iter(range(10 ** 6))

                def fresh_bag():  # new task keys each run, so no result is reused
                    return docs_bag.map_partitions(lambda part, run: part, run=next(runs))

                dyad_dask.code_bag(fresh_bag()).count().compute()  # workers load dictionaries

                def on_workers():
                    events = dyad_dask.code_bag(fresh_bag()).persist()
                    wait(events)
                    n = events.count().compute()
                    del events
                    return n
                seconds, events = best_of(args.repeat, on_workers)
                row("code_bag, events kept on the workers (persist)", "dicts", seconds, events)
                seconds, result = best_of(args.repeat,
                                          lambda: dyad_dask.code_bag(fresh_bag()).compute())
                row("code_bag(...).compute(), events sent to the client", "dicts", seconds,
                    len(result))
                del result

                docs_frame = dd.from_pandas(pd.DataFrame(docs), npartitions=4 * args.workers)
                docs_frame = docs_frame.persist()
                wait(docs_frame)
                seconds, result = best_of(args.repeat, lambda: dyad_dask.code_dataframe(
                    docs_frame.assign(run=next(runs))).compute())
                row("code_dataframe(...).compute(), a pandas frame", "frame", seconds, len(result))
                del result

                shards = dyad.synthetic.write_shards(docs, os.path.join(tmp, "shards"),
                                                     4 * args.workers)
                out = os.path.join(tmp, "out")
                seconds, reports = best_of(args.repeat,
                                           lambda: dyad_dask.code_shards(shards, out))
                row(f"code_shards ({len(shards)} .jsonl shards -> part files)", "jsonl", seconds,
                    sum(r["events"] for r in reports))

    base = {kind: next(s for name, k, s in rows if k == kind and "threads=1" in name)
            for kind in ("dicts", "jsonl", "frame")}
    print("\nspeed-up over the same output from one thread in one process (dicts: "
          "Coder.code_many(threads=1); JSON Lines: Coder.code_jsonl_bytes(threads=1); "
          "frame: dyad.to_frame(Coder.code_many(threads=1))):")
    for name, kind, seconds in rows:
        print(f"  {name:<52} {base[kind] / seconds:5.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
