"""Shared fixtures for the dyad Python tests.

Run from the repository root after building with -DDYAD_BUILD_PYTHON=ON:

    PYTHONPATH=build/python /usr/bin/python3 -m pytest python/tests

The tests compare against the `dyad` CLI of the same build (the build
directory holding the imported module), or $DYAD_CLI when set.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import dyad

REPO = Path(__file__).resolve().parents[2]
BUILD_PYTHON = Path(dyad.__file__).resolve().parents[1]   # build/python
CLI = Path(os.environ.get("DYAD_CLI") or BUILD_PYTHON.parent / "dyad")
DASK_CLI = BUILD_PYTHON / "dyad-dask"
SAMPLE = REPO / "data" / "sample" / "corpus.jsonl"
DICT = REPO / "data" / "dict"

_cluster_mode = []


def run_cli(*args, stdin=None):
    """build/dyad ARGS: (returncode, stdout bytes, stderr text)."""
    if not CLI.is_file():
        pytest.fail(f"no dyad CLI at {CLI} (build the project, or set DYAD_CLI)")
    p = subprocess.run([str(CLI), *map(str, args)], input=stdin, capture_output=True,
                       timeout=300)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def cli_events(*args):
    code, out, err = run_cli("code", *args)
    assert code == 0, err
    return [json.loads(line) for line in out.decode("utf-8").splitlines()]


@pytest.fixture(scope="session")
def coder():
    return dyad.Coder()


@pytest.fixture(scope="session")
def sample_docs():
    with open(SAMPLE, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture
def dict_copy(tmp_path):
    """A private copy of data/dict that a test may edit."""
    d = tmp_path / "dict"
    shutil.copytree(DICT, d)
    return d


@pytest.fixture(scope="session")
def client():
    """A distributed Client on a 2-worker LocalCluster: worker processes
    (processes=True), or in-process worker threads where processes cannot
    be spawned. The terminal summary says which was used."""
    from distributed import Client, LocalCluster

    try:
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        _cluster_mode.append("2 worker processes (processes=True)")
    except Exception as e:  # noqa: BLE001 - any spawn failure: fall back, and say so
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                               dashboard_address=None)
        _cluster_mode.append(f"2 in-process workers (processes=False; processes=True failed: "
                             f"{type(e).__name__}: {e})")
    c = Client(cluster)
    yield c
    c.close()
    cluster.close()


def pytest_terminal_summary(terminalreporter):
    if _cluster_mode:
        terminalreporter.write_line(f"dask LocalCluster used by the tests: {_cluster_mode[0]}")
