"""Events as a pandas DataFrame with typed columns.

    frame = dyad.to_frame(coder.code_many(docs))
    frame.groupby(["source_country", "target_country"]).goldstein.mean()

One row per event. Columns (EVENT_COLUMNS, in this order):

    doc_id          object (str)
    date            datetime64[ns] (NaT when the document had no date)
    source, target  category (CAMEO actor codes)
    source_country, target_country
                    category (dyad.country_of: "RUSCOP" -> "RUS")
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

import json
import os
from typing import Iterable, Mapping

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


def _category(values: list) -> pd.Series:
    return pd.Series(pd.Categorical(values), dtype="category")


def _objects(values: list) -> pd.Series:
    return pd.Series(values, dtype=object)


def to_frame(events: Iterable[Mapping]) -> pd.DataFrame:
    """A DataFrame of events (dicts from Coder.code / code_many / dyad.dask, or
    parsed `dyad code` JSON Lines), one row per event, typed as the module
    docstring lists. The columns are the same for an empty input."""
    events = list(events)
    for i, e in enumerate(events):
        if not isinstance(e, Mapping):
            raise TypeError(f"event {i}: an event is a dict, not {type(e).__name__}")

    def column(key, default=None):
        return [e.get(key, default) for e in events]

    cols = {}
    cols["doc_id"] = _objects(column("doc_id", ""))
    cols["date"] = pd.to_datetime(pd.Series(column("date"), dtype=object), format="%Y-%m-%d")
    sources, targets = column("source", ""), column("target", "")
    cols["source"] = _category(sources)
    cols["target"] = _category(targets)
    cols["source_country"] = _category([country_of(s) for s in sources])
    cols["target_country"] = _category([country_of(t) for t in targets])
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
    cols["entries"] = _objects([list(x) for x in column("entries", [])])
    cols["modality"] = _objects(column("modality"))
    cols["issues"] = _objects([list(x) for x in column("issues", [])])
    return pd.DataFrame(cols, columns=EVENT_COLUMNS)


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
