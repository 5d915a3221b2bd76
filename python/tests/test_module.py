"""The dyad module: coding equals the CLI, threads, explain, errors, pickling, frames."""

import datetime
import json
import os
import pickle
import threading

import pandas as pd
import pytest

import dyad
import dyad.synthetic
from conftest import DICT, SAMPLE, cli_events, run_cli

SENTENCE = "Uzbek diplomats have rebuked Russian officials over the treatment of migrants."
KEYS = ["doc_id", "date", "source", "target", "code", "root", "quad_class", "goldstein", "plover",
        "sentence", "sentence_index", "source_text", "target_text", "verb_text", "offsets",
        "pattern", "pattern_origin", "entries"]


# ------------------------------------------------------------ coding equals `dyad code`


def test_code_many_equals_cli_on_sample(coder, sample_docs):
    expected = cli_events(SAMPLE)
    assert len(expected) > 50
    assert coder.code_many(sample_docs) == expected


def test_code_equals_cli_per_document_with_key_order(coder, sample_docs):
    expected = cli_events(SAMPLE)
    got = [e for d in sample_docs for e in coder.code(d["text"], date=d["date"], doc_id=d["id"])]
    assert got == expected
    for e in got:
        assert list(e)[:len(KEYS)] == KEYS
        assert set(e) - set(KEYS) <= {"modality", "issues"}


def test_event_values(coder):
    [e] = coder.code(SENTENCE, date="2025-06-12", doc_id="d1")
    assert (e["source"], e["code"], e["target"]) == ("UZBGOV", "111", "RUSGOV")
    assert e["doc_id"] == "d1" and e["date"] == "2025-06-12"
    assert e["root"] == "11" and e["quad_class"] == 3 and e["goldstein"] == -2.0
    assert e["plover"] == "ACCUSE"
    b, end = e["offsets"]["verb"]
    assert SENTENCE.encode()[b:end].decode() == e["verb_text"] == "rebuked"
    assert any("dyad.actors.txt" in x and "UZBEKISTAN" in x for x in e["entries"])


def test_code_without_date_or_id(coder):
    [e] = coder.code(SENTENCE)
    assert e["date"] is None and e["doc_id"] == ""


def test_offsets_are_utf8_bytes(coder):
    text = "«Новости» — " + SENTENCE
    [e] = coder.code(text)
    b, end = e["offsets"]["source"]
    assert text.encode()[b:end].decode() == "Uzbek diplomats"
    assert b > text.index("Uzbek")  # bytes, not characters


def test_dates_accept_date_objects(coder):
    by_str = coder.code(SENTENCE, date="2024-02-29")
    assert coder.code(SENTENCE, date=datetime.date(2024, 2, 29)) == by_str
    assert coder.code(SENTENCE, date=datetime.datetime(2024, 2, 29, 13, 5)) == by_str
    assert coder.code(SENTENCE, date=pd.Timestamp("2024-02-29")) == by_str


def test_dated_roles_follow_the_date(coder):
    # Dated actor roles: a head of state is coded by the document's date.
    text = "Shavkat Mirziyoyev criticized Russia."
    assert coder.code(text, date="2025-06-12")[0]["source"].startswith("UZB")


# ------------------------------------------------------------ code_many


def test_code_many_threads_keep_input_order(coder):
    docs, _ = dyad.synthetic.make_corpus(3000, seed=11)
    one = coder.code_many(docs, threads=1)
    assert coder.code_many(docs, threads=4) == one
    assert coder.code_many(iter(docs), threads=None) == one
    assert coder.code_many(((d["id"], d["date"], d["text"]) for d in docs), threads=3) == one
    per_doc = [e for d in docs for e in coder.code(d["text"], date=d["date"], doc_id=d["id"])]
    assert one == per_doc
    # documents in input order: first-seen doc ids are the input's order
    seen = list(dict.fromkeys(e["doc_id"] for e in one))
    order = [d["id"] for d in docs]
    assert seen == [i for i in order if i in set(seen)]


def test_code_many_fields(coder):
    docs = [{"id": 7, "date": None, "text": SENTENCE, "url": "http://x", "title": "t"},
            {"text": SENTENCE}, ("t", "2025-01-02", SENTENCE), [None, None, SENTENCE.encode()]]
    events = coder.code_many(docs)
    assert [e["doc_id"] for e in events] == ["7", "", "t", ""]
    assert [e["date"] for e in events] == [None, None, "2025-01-02", None]
    assert coder.code_many([]) == []


def test_code_releases_the_gil(coder, sample_docs):
    # Many Python threads coding at once give each the single-thread result.
    expected = [coder.code(d["text"], date=d["date"], doc_id=d["id"]) for d in sample_docs]
    results = [None] * len(sample_docs)

    def work(i):
        d = sample_docs[i]
        results[i] = coder.code(d["text"], date=d["date"], doc_id=d["id"])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(sample_docs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == expected


# ------------------------------------------------------------ explain


def test_explain_equals_cli(coder):
    text = "Russian police detained 40 Uzbek migrants in Moscow."
    x = coder.explain(text, date="2025-06-12")
    assert x["sentence"] == text and x["date"] == "2025-06-12"
    assert [(e["source"], e["code"]) for e in x["events"]] == [("RUSCOP", "173")]
    code, out, err = run_cli("explain", "--date", "2025-06-12", text)
    assert code == 0, err
    events = "".join(json.dumps(e, separators=(",", ":"), ensure_ascii=False) + "\n"
                     for e in x["events"])
    assert out.decode() == ("\n".join(x["trace"]) + "\n\n" + f"{len(x['events'])} event(s)\n"
                            + events)
    assert any("actor 'Russian police' -> RUSCOP" in line for line in x["trace"])


def test_explain_bad_date(coder):
    with pytest.raises(ValueError, match="bad date '12.06.2025'"):
        coder.explain("Russia criticized Ukraine.", date="12.06.2025")


# ------------------------------------------------------------ errors


def test_missing_dictionary_dir():
    with pytest.raises(FileNotFoundError, match="/no/such/dir: dictionary directory not found"):
        dyad.Coder("/no/such/dir")


def test_directory_without_dictionaries(tmp_path):
    with pytest.raises(FileNotFoundError, match="no verb or actor dictionary"):
        dyad.Coder(tmp_path)


def test_malformed_dictionary_names_file_and_line(dict_copy):
    actors = dict_copy / "dyad.actors.txt"
    actors.write_text("+STRAY\n" + actors.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ValueError) as info:
        dyad.Coder(dict_copy)
    assert str(info.value) == f"{actors}:1: synonym '+' before any actor entry"
    code, _, err = run_cli("dict", dict_copy)
    assert code == 1 and str(info.value) in err


@pytest.mark.parametrize("date", ["2025-02-30", "2025-6-1", "12.06.2025", "tomorrow", "20250612"])
def test_bad_dates_raise_value_error(coder, date):
    with pytest.raises(ValueError, match=f"bad date '{date}'"):
        coder.code(SENTENCE, date=date)


def test_wrong_types(coder):
    with pytest.raises(TypeError, match="date must be"):
        coder.code(SENTENCE, date=20250612)
    with pytest.raises(TypeError, match="text must be str or bytes"):
        coder.code(None)
    with pytest.raises(TypeError, match="document 1: a document is a dict"):
        coder.code_many([{"text": "a"}, "just a string"])


def test_bad_document_in_code_many_names_it(coder):
    docs = [{"id": "a", "text": SENTENCE}, {"id": "b", "text": SENTENCE},
            {"id": "c", "date": "2025-13-01", "text": SENTENCE}]
    with pytest.raises(ValueError, match=r"document 2 \(id 'c'\): bad date '2025-13-01'"):
        coder.code_many(docs)
    with pytest.raises(ValueError, match=r"document 0: no \"text\""):
        coder.code_many([{"id": "x"}])
    with pytest.raises(ValueError, match="document 0: a tuple document is"):
        coder.code_many([("id", SENTENCE)])
    with pytest.raises(ValueError, match="threads must be"):
        coder.code_many(docs[:1], threads=-1)


def test_invalid_utf8(coder):
    with pytest.raises(ValueError, match="invalid UTF-8"):
        coder.code(b"Russia \xff criticized Ukraine.")
    with pytest.raises(UnicodeEncodeError):  # a lone surrogate has no UTF-8 form
        coder.code("Russia \udc80 criticized Ukraine.")


# ------------------------------------------------------------ JSON Lines like `dyad code`


def test_code_jsonl_equals_cli_with_bad_records(coder, tmp_path):
    docs, _ = dyad.synthetic.make_corpus(400, seed=5)
    lines = [json.dumps(d) for d in docs]
    lines[3] = "{not json"
    lines[5] = json.dumps({"id": "bad-date", "date": "2025-02-31", "text": "x"})
    lines[7] = json.dumps({"id": "no-text"})
    lines.insert(9, "   ")
    lines.insert(10, json.dumps({"date": "20250612", "text": SENTENCE}))  # no id, compact date
    path = tmp_path / "mixed.jsonl"
    data = ("\n".join(lines) + "\n").encode() + b'{"id":"raw","text":"Russia \xff"}\n'
    path.write_bytes(data)
    code, out, err = run_cli("code", path)
    assert code == 1
    cli_errors = [line.removeprefix("dyad: error: ") for line in err.splitlines()
                  if line.startswith("dyad: error: ")]
    assert len(cli_errors) == 4

    from_file = coder.code_jsonl_file(path)
    from_bytes = coder.code_jsonl_bytes(data, str(path), threads=3)
    for r in (from_file, from_bytes):
        assert r["jsonl"] == out
        assert [f"{w}: {m}" for w, m in r["errors"]] == cli_errors
        assert r["events"] == out.count(b"\n")
        assert r["documents"] == len(docs) - 3 + 1
    assert f"{path}:11" in from_file["jsonl"].decode()  # default id "file:line"

    with pytest.raises(FileNotFoundError, match="cannot open file"):
        coder.code_jsonl_file(tmp_path / "missing.jsonl")


# ------------------------------------------------------------ pickling and dictionaries


def test_pickle_keeps_the_dictionary_path(dict_copy, monkeypatch, tmp_path):
    explicit = dyad.Coder(dict_copy)
    clone = pickle.loads(pickle.dumps(explicit))
    assert clone.dict_dir == str(dict_copy)
    assert clone.code(SENTENCE) == explicit.code(SENTENCE)

    monkeypatch.chdir(dict_copy.parent)
    relative = dyad.Coder("dict")
    assert relative.dict_dir == str(dict_copy)  # kept absolute
    monkeypatch.chdir(tmp_path.parent)
    assert pickle.loads(pickle.dumps(relative)).dict_dir == str(dict_copy)

    default = dyad.Coder()
    assert default.dict_dir == str(DICT)
    data = pickle.dumps(default)
    monkeypatch.setenv("DYAD_DICT_DIR", str(dict_copy))
    # None stays None: the loading process's default ($DYAD_DICT_DIR here).
    assert pickle.loads(data).dict_dir == str(dict_copy)
    assert dyad.default_dict_dir() == str(dict_copy)


def test_edited_dictionary_is_reloaded(dict_copy):
    text = "Freedonia criticized Russia."
    first = dyad.Coder(dict_copy)
    assert first.code(text) == []
    with open(dict_copy / "dyad.actors.txt", "a", encoding="utf-8") as f:
        f.write("FREEDONIA [FRD]\n")
    second = dyad.Coder(dict_copy)  # while `first` (and its dictionary) is alive
    assert [(e["source"], e["code"], e["target"]) for e in second.code(text)] == \
        [("FRD", "111", "RUS")]
    assert first.code(text) == []


def test_other_dictionaries_equal_cli(dict_copy, tmp_path):
    with open(dict_copy / "dyad.actors.txt", "a", encoding="utf-8") as f:
        f.write("FREEDONIA [FRD]\n")
    docs = [{"id": "f", "date": "2025-01-01", "text": "Freedonia criticized Russia. " + SENTENCE}]
    path = tmp_path / "f.jsonl"
    path.write_text(json.dumps(docs[0]) + "\n")
    assert dyad.Coder(dict_copy).code_many(docs) == cli_events("--dict", dict_copy, path)


def test_dictionary_stats(coder):
    s = coder.dictionary_stats
    assert s["verb_patterns"] > 1000 and s["actor_entries"] > 100
    assert isinstance(s["warnings"], list)
    assert repr(coder) == f"dyad.Coder('{DICT}')"


# ------------------------------------------------------------ helpers and frames


def test_country_of_and_cameo():
    assert dyad.country_of("RUSCOP") == "RUS"
    assert dyad.country_of("IGOUNOHCR") == "IGOUNO"
    c = dyad.cameo("173")
    assert c["quad_class"] == 4 and c["goldstein"] < 0 and c["name"]
    assert dyad.cameo("999") is None


def test_to_frame_types_and_values(coder, sample_docs):
    events = coder.code_many(sample_docs)
    f = dyad.to_frame(events)
    assert list(f.columns) == dyad.EVENT_COLUMNS
    assert len(f) == len(events)
    assert str(f["date"].dtype) == "datetime64[ns]"
    assert str(f["goldstein"].dtype) == "float64"
    assert str(f["quad_class"].dtype) == "Int64"
    assert str(f["sentence_index"].dtype) == "int64"
    for col in ("source", "target", "code", "root", "plover", "source_country", "target_country"):
        assert isinstance(f[col].dtype, pd.CategoricalDtype), col
    assert f["date"].iloc[0] == pd.Timestamp(events[0]["date"])
    assert f["code"].astype(str).tolist() == [e["code"] for e in events]
    assert f["goldstein"].tolist() == [e["goldstein"] for e in events]
    assert f["source_country"].astype(str).tolist() == [dyad.country_of(e["source"]) for e in events]
    assert f["verb_begin"].tolist() == [e["offsets"]["verb"][0] for e in events]
    assert f["entries"].tolist() == [e["entries"] for e in events]


def test_to_frame_missing_values_and_empty():
    e = {"doc_id": "x", "date": None, "source": "RUS", "target": "UKR", "code": "0999",
         "root": "09", "quad_class": None, "goldstein": None, "plover": None, "sentence": "s",
         "sentence_index": 0, "source_text": "", "target_text": "", "verb_text": "",
         "offsets": {"sentence": [0, 1], "source": [0, 0], "verb": [0, 0], "target": [0, 0]},
         "pattern": "default", "pattern_origin": "", "entries": []}
    f = dyad.to_frame([e])
    assert f["date"].isna().all() and f["quad_class"].isna().all()
    assert f["goldstein"].isna().all() and f["plover"].isna().all()
    empty = dyad.to_frame([])
    assert len(empty) == 0 and list(empty.columns) == dyad.EVENT_COLUMNS
    assert empty.dtypes.astype(str).tolist() == f.dtypes.astype(str).tolist()
    with pytest.raises(TypeError, match="event 0"):
        dyad.to_frame(["not an event"])


def test_read_events_of_cli_output(coder, sample_docs, tmp_path):
    code, out, err = run_cli("code", SAMPLE)
    assert code == 0, err
    path = tmp_path / "events.jsonl"
    path.write_bytes(out)
    pd.testing.assert_frame_equal(dyad.read_events(path), dyad.to_frame(coder.code_many(sample_docs)))


def test_source_package_without_extension_explains(tmp_path):
    # PYTHONPATH=python (the sources) instead of build/python: a clear message.
    import subprocess
    import sys

    src = os.path.join(os.path.dirname(__file__), "..")
    p = subprocess.run([sys.executable, "-c", "import dyad"], capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": src}, cwd=tmp_path)
    assert p.returncode != 0
    assert "put build/python (not python/) on PYTHONPATH" in p.stderr


def test_goldstein_example_writes_its_plot(tmp_path):
    # docs/python.md's notebook example, as python/examples/goldstein_by_week.py.
    import subprocess
    import sys

    from conftest import BUILD_PYTHON, REPO

    out = tmp_path / "plot.png"
    script = REPO / "python" / "examples" / "goldstein_by_week.py"
    env = {**os.environ, "PYTHONPATH": str(BUILD_PYTHON), "MPLCONFIGDIR": str(tmp_path)}
    p = subprocess.run([sys.executable, str(script), "--out", str(out)], capture_output=True,
                       text=True, timeout=300, env=env)
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("40 documents -> ")
    assert " -> " in p.stdout.splitlines()[2]  # a dyad row of the weekly table
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
