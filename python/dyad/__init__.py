"""dyad: political event coding from English news text.

Raw text in, CAMEO events with their evidence out (who did what to whom, when,
with Goldstein score, QuadClass, PLOVER category, the sentence, offsets, and the
pattern and dictionary entries behind each event).

    import dyad
    coder = dyad.Coder()                       # the bundled dictionaries
    events = coder.code("Russian police detained 40 Uzbek migrants in Moscow.",
                        date="2025-06-12", doc_id="d1")
    frame = dyad.to_frame(coder.code_many(docs))   # docs: dicts or (id, date, text)

Build it with the project (cmake -DDYAD_BUILD_PYTHON=ON) and import it with
PYTHONPATH=build/python. dyad.dask (imported on first use) codes bags,
DataFrames and JSON Lines shards on a Dask cluster. See docs/python.md.
"""

try:
    from ._dyad import Coder, __version__, cameo, country_of, default_dict_dir
except ImportError as error:  # e.g. PYTHONPATH=python: the sources, not the build
    raise ImportError(
        f"dyad's compiled part (dyad._dyad) cannot be loaded: {error}. Build it with "
        "`cmake -S . -B build -DDYAD_BUILD_PYTHON=ON && cmake --build build` and put "
        "build/python (not python/) on PYTHONPATH, with Debian's /usr/bin/python3.") from error

from .frame import EVENT_COLUMNS, read_events, to_frame

__all__ = ["Coder", "EVENT_COLUMNS", "cameo", "country_of", "default_dict_dir", "read_events",
           "to_frame", "__version__"]


def __getattr__(name):
    # `dyad.dask` without an explicit import; Dask is imported only then.
    if name == "dask":
        import importlib
        return importlib.import_module(".dask", __name__)
    raise AttributeError(f"module 'dyad' has no attribute {name!r}")
