#!/usr/bin/python3
"""dyad-dask: code JSON Lines shards on a Dask cluster (see docs/python.md).

    build/python/dyad-dask --scheduler local --workers 2 --out out/ shards/*.jsonl.gz
    PYTHONPATH=build/python /usr/bin/python3 python/dyad_dask.py --scheduler tcp://host:8786 ...

The build copies this file to build/python/dyad-dask, beside the dyad package.
"""
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
if os.path.isfile(os.path.join(here, "dyad_module.cc")):
    # Run from the source tree: python/ holds dyad's sources without the
    # compiled part and would hide the built package on PYTHONPATH.
    sys.path = [p for p in sys.path if os.path.abspath(p or os.curdir) != here]

from dyad.dask import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
