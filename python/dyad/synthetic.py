"""A deterministic synthetic news corpus for tests and benchmarks.

Wire-style sentences about states, officials, police and migrants ("Russian
police detained Uzbek labour migrants in Moscow, officials said."), with
attribution, negation, intent, and background sentences that carry no event,
grouped into documents of about 20 sentences with paragraph breaks - the idea of
bench/synthetic_corpus.cc, written again in Python.

    docs, sentences = dyad.synthetic.make_corpus(10_000, seed=7)
    dyad.synthetic.write_shards(docs, "shards/", n_shards=4, gzip_every=2)
"""

from __future__ import annotations

import datetime
import gzip
import json
import os
import random

SUBJECTS = [
    "Russian police", "The Uzbek Foreign Ministry", "Russia", "Uzbekistan", "Tajik authorities",
    "Kyrgyz President Sadyr Japarov", "Russian Foreign Ministry spokeswoman Maria Zakharova",
    "The Kremlin", "Kazakh officials", "China", "The United States", "Ukrainian forces",
    "The European Union", "Uzbek diplomats", "Russian law-enforcement authorities",
    "Security forces in Moscow", "Turkmenistan", "The Tajik embassy in Moscow", "Iran", "India",
    "Migration officers in St Petersburg", "The Kazakh government", "Germany",
]
OBJECTS = [
    "Uzbek labour migrants", "Russian officials", "Tajik and Kyrgyz workers", "Moscow", "Tashkent",
    "the Russian ambassador", "Kazakhstan", "Beijing", "Washington", "Ukrainian positions",
    "Uzbek citizens", "Central Asian migrants", "the Kremlin", "Kyrgyzstan", "Pakistan",
    "Turkish diplomats", "the Uzbek ambassador",
]
VERBS = [
    "detained", "criticized", "condemned", "met", "visited", "accused", "deported", "praised",
    "urged", "summoned", "warned", "thanked", "attacked", "rebuked", "called on", "hosted",
    "welcomed", "threatened", "signed an agreement with", "raided markets used by", "expelled",
    "rejected demands from", "apologized to", "plans to visit", "did not condemn", "arrested",
    "fined", "negotiated with",
]
TAILS = [
    " on Tuesday", " in Moscow", " after a raid on a market", " over the treatment of migrants",
    " last week", ", officials said", ", the ministry said in a statement", "",
    " during talks in Tashkent", " for the second time this year", ", according to the embassy",
]
BACKGROUND = [
    "More than a million Uzbek citizens work in Russia, according to official figures.",
    "The remittances account for about a fifth of the economy.",
    "Prices for wheat rose by 11.8 percent in the first quarter.",
    "The bridge across the river was completed in 2019.",
    "Temperatures in the capital reached 35 degrees on Saturday.",
    "Analysts expect the figures to be revised next month.",
    "\"We keep this issue under constant control,\" the statement said.",
    "The talks were the first since the summit in Samarkand.",
]


def make_corpus(sentences: int, seed: int = 42, start: str = "2025-01-06",
                days: int = 84) -> tuple[list[dict], int]:
    """Documents {"id", "date", "text"} holding `sentences` sentences in all
    (about 20 each; 40% background), dated over `days` days from `start`.
    Returns (documents, sentences)."""
    rng = random.Random(seed)
    first = datetime.date.fromisoformat(start)
    docs: list[dict] = []
    made = 0
    while made < sentences:
        parts = []
        for s in range(20):
            if made >= sentences:
                break
            if rng.random() < 0.4:
                parts.append(rng.choice(BACKGROUND))
            else:
                parts.append(f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
                             f"{rng.choice(TAILS)}.")
            parts.append("\n\n" if s % 4 == 3 else " ")
            made += 1
        date = first + datetime.timedelta(days=rng.randrange(days))
        docs.append({"id": f"synthetic-{len(docs)}", "date": date.isoformat(),
                     "text": "".join(parts).rstrip()})
    return docs, made


def write_jsonl(docs, path: str) -> None:
    """One JSON Lines file (gzip-compressed when path ends in .gz)."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "wt", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")


def write_shards(docs, directory: str, n_shards: int, gzip_every: int = 0) -> list[str]:
    """Splits docs into n_shards consecutive JSON Lines files shard-NNN.jsonl
    in `directory`; every gzip_every-th shard (if > 0) is written as .jsonl.gz.
    Returns the paths in order."""
    os.makedirs(directory, exist_ok=True)
    docs = list(docs)
    paths = []
    size = -(-len(docs) // n_shards) if docs else 0
    for i in range(n_shards):
        suffix = ".jsonl.gz" if gzip_every and i % gzip_every == gzip_every - 1 else ".jsonl"
        path = os.path.join(directory, f"shard-{i:03d}{suffix}")
        write_jsonl(docs[i * size:(i + 1) * size], path)
        paths.append(path)
    return paths
