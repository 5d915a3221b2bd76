"""Events as a pandas DataFrame with typed columns.

    frame = dyad.to_frame(coder.code_many(docs))
    frame.groupby(["source_country", "target_country"]).goldstein.mean()

One row per event. Columns (EVENT_COLUMNS, in this order):

    doc_id          object (str)
    date            datetime64[ns] (NaT when the document had no date)
    source, target  category (CAMEO actor codes)
    source_country, target_country
                    category (dyad.country_of: "RUSCOP" -> "RUS")
                    (source and target share one category set, as do the two
                    country columns, so that they compare: frame.source == frame.target)
    code, root      category (CAMEO event code and its two-digit root)
    quad_class      Int64 (nullable: <NA> when the code is not in the CAMEO table)
    goldstein       float64 (NaN likewise)
    plover          category (missing for public statements, root 01)
    sentence        object (str)
    sentence_index  int64
    source_text, target_text, verb_text
                    object (str)
    sentence_begin, sentence_end, source_begin, source_end,
    verb_begin, verb_end, target_begin, target_end
                    int64 (the event's "offsets": UTF-8 byte offsets into the document)
    pattern, pattern_origin
                    object (str)
    entries         object (list of "file:line NAME" strings)
    modality        object (str or None: "intent" when an intent verb rewrote the code)
    issues          object (list of str)
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
from collections.abc import Iterable, Mapping

import pandas as pd

from ._dyad import country_of

_OFFSET_PARTS = ("sentence", "source", "verb", "target")

EVENT_COLUMNS = [
    "doc_id", "date", "source", "target", "source_country", "target_country", "code", "root",
    "quad_class", "goldstein", "plover", "sentence", "sentence_index", "source_text",
    "target_text", "verb_text",
    *[f"{part}_{end}" for part in _OFFSET_PARTS for end in ("begin", "end")],
    "pattern", "pattern_origin", "entries", "modality", "issues",
]

_CATEGORY_COLUMNS = ("source", "target", "source_country", "target_country", "code", "root",
                     "plover")


def _category(values: list, categories=None) -> pd.Series:
    return pd.Series(pd.Categorical(values, categories=categories), dtype="category")


def _paired_categories(a: list, b: list) -> tuple[pd.Series, pd.Series]:
    # One category set for both sides, so that source == target compares.
    categories = sorted({x for x in a + b if x is not None})
    return _category(a, categories), _category(b, categories)


def _objects(values: list) -> pd.Series:
    return pd.Series(values, dtype=object)


@contextlib.contextmanager
def _no_gc():
    # Building columns allocates an object or two per event and holds no
    # cycles; the cyclic collector would walk all the events again and again.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def to_frame(events: Iterable[Mapping]) -> pd.DataFrame:
    """A DataFrame of events (dicts from Coder.code / code_many / dyad.dask, or
    parsed `dyad code` JSON Lines), one row per event, typed as the module
    docstring lists. The columns are the same for an empty input. List cells
    (entries, issues) are the events' own lists, not copies."""
    events = list(events)
    for i, e in enumerate(events):
        if type(e) is not dict and not isinstance(e, Mapping):
            raise TypeError(f"event {i}: an event is a dict, not {type(e).__name__}")
    with _no_gc():
        return _to_frame(events)


def _to_frame(events: list) -> pd.DataFrame:

    def column(key, default=None):
        return [e.get(key, default) for e in events]

    cols = {}
    cols["doc_id"] = _objects(column("doc_id", ""))
    cols["date"] = pd.to_datetime(pd.Series(column("date"), dtype=object), format="%Y-%m-%d")
    sources, targets = column("source", ""), column("target", "")
    cols["source"], cols["target"] = _paired_categories(sources, targets)
    cols["source_country"], cols["target_country"] = _paired_categories(
        [country_of(s) for s in sources], [country_of(t) for t in targets])
    cols["code"] = _category(column("code"))
    cols["root"] = _category(column("root"))
    cols["quad_class"] = pd.Series(pd.array(column("quad_class"), dtype="Int64"))
    cols["goldstein"] = pd.Series([float("nan") if g is None else float(g)
                                   for g in column("goldstein")], dtype="float64")
    cols["plover"] = _category(column("plover"))
    cols["sentence"] = _objects(column("sentence", ""))
    cols["sentence_index"] = pd.Series(column("sentence_index", 0), dtype="int64")
    for key in ("source_text", "target_text", "verb_text"):
        cols[key] = _objects(column(key, ""))
    offsets = column("offsets", {})
    for part in _OFFSET_PARTS:
        spans = [o.get(part, (0, 0)) for o in offsets]
        cols[f"{part}_begin"] = pd.Series([s[0] for s in spans], dtype="int64")
        cols[f"{part}_end"] = pd.Series([s[1] for s in spans], dtype="int64")
    cols["pattern"] = _objects(column("pattern", ""))
    cols["pattern_origin"] = _objects(column("pattern_origin", ""))
    cols["entries"] = _objects([[] if x is None else x for x in column("entries")])
    cols["modality"] = _objects(column("modality"))
    cols["issues"] = _objects([[] if x is None else x for x in column("issues")])
    assert list(cols) == EVENT_COLUMNS
    return pd.DataFrame(cols)


def read_events(path: str | os.PathLike) -> pd.DataFrame:
    """to_frame over event JSON Lines: one file (`dyad code` output) or a
    directory of them (the part-*.jsonl shards dyad-dask writes, in order)."""
    path = os.fspath(path)
    if os.path.isdir(path):
        files = sorted(os.path.join(path, f) for f in os.listdir(path)
                       if f.startswith("part-") and f.endswith(".jsonl"))
    else:
        files = [path]
    events = []
    for f in files:
        with open(f, encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                try:
                    events.append(json.loads(line))
                except ValueError as e:
                    raise ValueError(f"{f}:{number}: not an event ({e})") from None
    return to_frame(events)
