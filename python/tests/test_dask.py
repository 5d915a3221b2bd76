"""dyad.dask on a 2-worker LocalCluster: results equal single-process `dyad code`."""

import gzip
import json
import operator
import shutil
import subprocess

import pytest

import dyad
import dyad.dask
import dyad.synthetic
from conftest import DASK_CLI, cli_events, run_cli

dask_bag = pytest.importorskip("dask.bag")
dask_dataframe = pytest.importorskip("dask.dataframe")
pd = pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A generated corpus: 6000 sentences in ~300 documents, as one JSON Lines
    file and as 5 shards (2 gzipped) with plain copies for the CLI."""
    d = tmp_path_factory.mktemp("corpus")
    docs, sentences = dyad.synthetic.make_corpus(6000, seed=2024)
    whole = d / "corpus.jsonl"
    dyad.synthetic.write_jsonl(docs, str(whole))
    shards = dyad.synthetic.write_shards(docs, str(d / "shards"), 5, gzip_every=2)
    plain = []
    for s in shards:
        if s.endswith(".gz"):
            with gzip.open(s, "rb") as src, open(s[:-3], "wb") as dst:
                shutil.copyfileobj(src, dst)
            s = s[:-3]
        plain.append(s)
    return {"docs": docs, "sentences": sentences, "file": whole, "shards": shards, "plain": plain,
            "dir": d}


def test_code_bag_equals_dyad_code(client, corpus):
    expected = cli_events(corpus["file"])
    assert len(expected) > 1000
    bag = dask_bag.from_sequence(corpus["docs"], npartitions=8)
    assert dyad.dask.code_bag(bag).compute() == expected
    tuples = dask_bag.from_sequence([(d["id"], d["date"], d["text"]) for d in corpus["docs"]],
                                    npartitions=3)
    assert dyad.dask.code_bag(tuples, dyad.Coder()).compute() == expected
    assert len(client.scheduler_info()["workers"]) == 2


def test_code_dataframe_equals_to_frame(client, corpus):
    pdf = pd.DataFrame(corpus["docs"])
    pdf["date"] = pd.to_datetime(pdf["date"])
    events = dyad.dask.code_dataframe(dask_dataframe.from_pandas(pdf, npartitions=6))
    assert list(events.columns) == dyad.EVENT_COLUMNS
    got = events.compute().reset_index(drop=True)
    expected = dyad.to_frame(cli_events(corpus["file"]))
    pd.testing.assert_frame_equal(got, expected, check_categorical=False)
    assert isinstance(got["code"].dtype, pd.CategoricalDtype)
    assert str(got["quad_class"].dtype) == "Int64"

    by_index = pdf.set_index("id")
    by_index.loc[by_index.index[0], "date"] = pd.NaT
    events = dyad.dask.code_dataframe(dask_dataframe.from_pandas(by_index, npartitions=3), id=None)
    got = events.compute()
    first = got[got["doc_id"] == by_index.index[0]]
    assert len(first) and first["date"].isna().all()


def test_coder_ships_to_workers(client, dict_copy):
    with open(dict_copy / "dyad.actors.txt", "a", encoding="utf-8") as f:
        f.write("FREEDONIA [FRD]\n")
    coder = dyad.Coder(dict_copy)
    text = "Freedonia criticized Russia."
    future = client.submit(operator.methodcaller("code", text, date="2025-03-01"), coder)
    assert future.result() == coder.code(text, date="2025-03-01")
    assert future.result()[0]["source"] == "FRD"
    where = client.submit(operator.attrgetter("dict_dir"), coder).result()
    assert where == str(dict_copy)


def test_code_shards_on_the_cluster(client, corpus, tmp_path):
    reports = dyad.dask.code_shards(corpus["shards"], tmp_path / "out")
    assert [r["input"] for r in reports] == corpus["shards"]
    assert all(r["error"] is None and r["errors"] == [] for r in reports)
    code, expected, err = run_cli("code", *corpus["plain"])
    assert code == 0, err
    got = b"".join((tmp_path / "out" / dyad.dask.part_name(i)).read_bytes()
                   for i in range(len(reports)))
    assert got == expected
    assert sum(r["events"] for r in reports) == expected.count(b"\n")
    assert sum(r["documents"] for r in reports) == len(corpus["docs"])


def run_dask_cli(*args):
    p = subprocess.run(["/usr/bin/python3", str(DASK_CLI), *map(str, args)],
                       capture_output=True, text=True, timeout=600)
    return p.returncode, p.stderr


def test_dyad_dask_cli_equals_dyad_code(corpus, tmp_path):
    out = tmp_path / "events"
    code, err = run_dask_cli("--scheduler", "local", "--workers", "2", "--out", out,
                             *corpus["shards"])
    assert code == 0, err
    assert "2 worker processes" in err or "2 in-process workers" in err, err
    code, expected, cli_err = run_cli("code", *corpus["plain"])
    assert code == 0, cli_err
    parts = sorted(out.glob("part-*.jsonl"))
    assert len(parts) == len(corpus["shards"])
    assert b"".join(p.read_bytes() for p in parts) == expected
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["events"] == expected.count(b"\n") and manifest["failed_records"] == 0
    assert dyad.read_events(out).shape[0] == expected.count(b"\n")

    # An output directory is not silently mixed with an earlier run's parts.
    code, err = run_dask_cli("--out", out, "--workers", "1", corpus["shards"][0])
    assert code == 2 and "--overwrite" in err
    code, err = run_dask_cli("--out", out, "--workers", "1", "--overwrite", corpus["shards"][0])
    assert code == 0, err
    assert sorted(p.name for p in out.glob("part-*")) == ["part-00000.jsonl"]


def test_dyad_dask_reports_bad_shards_and_records(corpus, tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    good = corpus["plain"][0]
    bad = d / "bad.jsonl"
    docs = corpus["docs"][:6]
    lines = [json.dumps(x) for x in docs]
    lines[1] = '{"id": "broken", "text": '
    lines[3] = json.dumps({"id": "when", "date": "2025-04-31", "text": "Russia criticized Ukraine."})
    lines[4] = json.dumps({"id": "empty", "text": 42})
    bad.write_text("\n".join(lines) + "\n")
    bad_gz = d / "bad.jsonl.gz"
    bad_gz.write_bytes(gzip.compress(bad.read_bytes()))
    corrupt = d / "corrupt.jsonl.gz"
    corrupt.write_bytes(b"this is not gzip")
    truncated = d / "truncated.jsonl.gz"
    whole = gzip.compress(open(good, "rb").read())
    truncated.write_bytes(whole[: len(whole) // 2])
    missing = d / "missing.jsonl"
    empty_dir = tmp_path / "nothing-here"
    empty_dir.mkdir()

    inputs = [good, bad, bad_gz, corrupt, truncated, missing, empty_dir]
    out = tmp_path / "out"
    code, err = run_dask_cli("--workers", "2", "--out", out, *inputs)
    assert code == 1
    errors = [line.removeprefix("dyad-dask: error: ") for line in err.splitlines()
              if line.startswith("dyad-dask: error: ")]

    # Record errors: exactly `dyad code`'s, with file:line, for plain and gzipped shards.
    cli_code, cli_out, cli_err = run_cli("code", good, bad, missing)
    assert cli_code == 1
    cli_errors = [line.removeprefix("dyad: error: ") for line in cli_err.splitlines()
                  if line.startswith("dyad: error: ")]
    record_errors = [e for e in cli_errors if e.startswith(f"{bad}:")]
    assert [e.split(":", 2)[1] for e in record_errors] == ["2", "4", "5"]
    for e in record_errors:
        assert e in errors
        assert e.replace(str(bad), str(bad_gz), 1) in errors
    assert f"{missing}: cannot open file (No such file or directory)" in errors
    assert f"{missing}: cannot open file" in cli_errors
    assert any(e.startswith(f"{corrupt}: bad gzip data") for e in errors)
    assert any(e.startswith(f"{truncated}: bad gzip data") for e in errors)
    assert any(e.startswith(f"{empty_dir}: no *.jsonl") for e in errors)
    assert len(errors) == 2 * 3 + 4
    assert "6 records failed, 4 shards failed" in err

    # What could be coded was coded, exactly as `dyad code` codes it.
    parts = {r["input"]: r for r in json.loads((out / "manifest.json").read_text())["shards"]}
    assert parts[str(corrupt)]["output"] is None and parts[str(missing)]["output"] is None
    got = b"".join(open(parts[str(p)]["output"], "rb").read() for p in (good, bad))
    assert got == cli_out
    assert open(parts[str(bad_gz)]["output"], "rb").read() == \
        run_cli("code", bad)[1].replace(str(bad).encode(), str(bad_gz).encode())


def test_dyad_dask_rejects_bad_options(tmp_path, corpus):
    code, err = run_dask_cli("--dict", tmp_path / "no-dict", "--out", tmp_path / "o",
                             corpus["shards"][0])
    assert code == 1 and "dictionary directory not found" in err
    code, err = run_dask_cli("--date", "2025-02-30", "--out", tmp_path / "o", corpus["shards"][0])
    assert code == 1 and "bad date '2025-02-30'" in err
    code, err = run_dask_cli("--scheduler", "tcp://127.0.0.1:9", "--timeout", "2",
                             "--out", tmp_path / "o", corpus["shards"][0])
    assert code == 1 and "dyad-dask: error:" in err and "Traceback" not in err


def test_dyad_dask_on_a_running_scheduler(client, corpus, tmp_path):
    address = client.scheduler.address
    if not address.startswith("tcp://"):
        pytest.skip(f"the test cluster runs in-process ({address}); no scheduler to connect to")
    out = tmp_path / "out"
    code, err = run_dask_cli("--scheduler", address, "--workers", "2", "--out", out,
                             *corpus["shards"])
    assert code == 0, err
    assert f"{address}, 2 workers" in err
    code, expected, _ = run_cli("code", *corpus["plain"])
    assert b"".join(p.read_bytes() for p in sorted(out.glob("part-*.jsonl"))) == expected


def test_python_m_dyad_dask(tmp_path):
    # The module entry point: workers must get dyad.dask's functions by name,
    # not pickled copies of a __main__ module.
    import os
    import sys

    from conftest import BUILD_PYTHON, SAMPLE

    env = {**os.environ, "PYTHONPATH": str(BUILD_PYTHON)}
    p = subprocess.run([sys.executable, "-m", "dyad.dask", "--workers", "1", "--out",
                        str(tmp_path / "out"), str(SAMPLE)], capture_output=True, text=True,
                       env=env, timeout=300)
    assert p.returncode == 0, p.stderr
    assert (tmp_path / "out" / "part-00000.jsonl").read_bytes() == run_cli("code", SAMPLE)[1]
