#!/usr/bin/env python3
"""Check the Russian development set (dev.jsonl) and print its counts.

Usage (from the repository root):
    python3 testdata/eval/ru/validate.py [path/to/dev.jsonl]

Exits 1 if any check fails. Standard library only.

Checks:
  * every line is a JSON object with id, date, lang, text, events and optionally note;
  * ids run ru-0001, ru-0002, ... without gaps, and the lines are sorted by date;
  * dates are real calendar dates from 2021 to 2025; lang is "ru"; text is one
    line of Cyrillic text;
  * every code is a 3- or 4-digit code in data/cameo.tsv (checked against the
    shared reference table too when it is present);
  * every actor is a country or CAMEO region code from data/countries.tsv (or
    "---") followed by known three-letter roles, or a known IGO/NGO code;
  * no event is listed twice in one sentence;
  * a weekday in the text ("в среду") falls 0 to 3 days before the date;
  * officials whose office is dated are only named while in office;
  * at least 300 sentences and at least 8 events for every CAMEO root.
"""
import collections
import datetime
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))

ROLES = set("GOV MIL COP SPY JUD LEG OPP REB INS MED BUS NGO HRI LAB REF CVL CRM EDU ELI "
            "HLH REL MOS CHR JEW".split())
# Organisation codes from docs/coding-conventions.md and docs/actor-dictionary-notes.md.
ORGS = set("""IGOUNO IGOUNOHCR IGOUNOHRC IGOIOM IGOUNOILO IGOEUREEC IGOWSTNAT IGOEUROSC IGOCIS
IGOCSTO IGOSCO IGOEAEU IGOBRICS IGOICC IGOWBK IGOIMF IGOWTO IGOAFRAU IGOARL IGOASN IGOEURCOE
IGOOTS IGOGCC IGOOIC IGOOPC IGOG7 IGOG20 IGOADB IGOEBRD IGOFATF
NGOAMN NGOHRW NGOMEM NGOICRC NGOMSF NGOCPJ NGOFRH NGOTRI NGOICG""".split())

WEEKDAYS = {  # Python weekday(): Monday is 0
    r"\bв понедельник\b": 0, r"\bво вторник\b": 1, r"\bв среду\b": 2, r"\bв четверг\b": 3,
    r"\bв пятницу\b": 4, r"\bв субботу\b": 5, r"\bв воскресенье\b": 6,
}

# Officials named in the set whose office (and so their actor code) is dated.
# Stem regex, first day, last day (inclusive).
D = datetime.date
DATED = [
    (r"Байден", D(2021, 1, 20), D(2025, 1, 20)),
    (r"Трамп", D(2025, 1, 20), D(2025, 12, 31)),
    (r"Блинкен", D(2021, 1, 26), D(2025, 1, 20)),
    (r"Рубио", D(2025, 1, 21), D(2025, 12, 31)),
    (r"Кулеб", D(2021, 1, 1), D(2024, 9, 4)),
    (r"Сибиг", D(2024, 9, 5), D(2025, 12, 31)),
    (r"Боррел", D(2021, 1, 1), D(2024, 11, 30)),
    (r"Каллас", D(2024, 12, 1), D(2025, 12, 31)),
    (r"Цинь Ган", D(2022, 12, 30), D(2023, 7, 25)),
    (r"Камилов", D(2021, 1, 1), D(2022, 3, 31)),
    (r"Саидов", D(2022, 7, 15), D(2025, 12, 31)),
    (r"Казакбаев", D(2020, 11, 1), D(2022, 5, 20)),
    (r"Кулубаев", D(2022, 5, 25), D(2025, 12, 31)),
    (r"Шойгу", D(2021, 1, 1), D(2024, 5, 12)),       # used only as defence minister (MIL)
    (r"Белоусов", D(2024, 5, 14), D(2025, 12, 31)),
    (r"Ташиев", D(2020, 10, 14), D(2025, 2, 10)),
    (r"Венедиктов", D(2020, 3, 17), D(2022, 7, 17)),
    (r"Жапаров", D(2021, 1, 28), D(2025, 12, 31)),   # Sadyr Japarov as elected president
]


def load_codes():
    codes = set()
    for path in (os.path.join(REPO, "data", "cameo.tsv"), "/work/shared/cameo/cameo.tsv"):
        if not os.path.exists(path):
            continue
        table = set()
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or line.startswith("code\t") or not line.strip():
                    continue
                table.add(line.split("\t", 1)[0])
        codes = table if not codes else codes & table
    if not codes:
        sys.exit("cannot find data/cameo.tsv")
    return codes


def load_places():
    places = {"---"}
    with open(os.path.join(REPO, "data", "countries.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.startswith("cameo\t"):
                continue
            places.add(line.split("\t", 1)[0])
    return places


def actor_ok(code, places):
    if code.startswith(("IGO", "NGO")):
        return code in ORGS
    if len(code) < 3 or len(code) % 3 or code[:3] not in places:
        return False
    return all(code[i:i + 3] in ROLES for i in range(3, len(code), 3))


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "dev.jsonl")
    codes, places = load_codes(), load_places()
    errors = []
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            where = f"line {n}"
            try:
                o = json.loads(line)
            except json.JSONDecodeError as e:
                errors.append(f"{where}: invalid JSON ({e})")
                continue
            if not isinstance(o, dict):
                errors.append(f"{where}: not an object")
                continue
            keys = set(o)
            if not {"id", "date", "lang", "text", "events"} <= keys or keys - {
                    "id", "date", "lang", "text", "events", "note"}:
                errors.append(f"{where}: fields {sorted(keys)}")
                continue
            where = f"{where} ({o['id']})"
            if o["id"] != f"ru-{n:04d}":
                errors.append(f"{where}: expected id ru-{n:04d}")
            try:
                day = datetime.date.fromisoformat(o["date"])
                if not re.fullmatch(r"\d{4}-\d\d-\d\d", o["date"]) or not 2021 <= day.year <= 2025:
                    raise ValueError
            except (ValueError, TypeError):
                errors.append(f"{where}: bad date {o['date']!r}")
                continue
            if rows and o["date"] < rows[-1]["date"]:
                errors.append(f"{where}: not sorted by date")
            if o["lang"] != "ru":
                errors.append(f"{where}: lang {o['lang']!r}")
            text = o["text"]
            if not isinstance(text, str) or "\n" in text or not re.search("[А-Яа-яЁё]", text):
                errors.append(f"{where}: text is not one line of Russian")
            if "note" in o and not (isinstance(o["note"], str) and o["note"].strip()):
                errors.append(f"{where}: empty note")
            if not isinstance(o["events"], list):
                errors.append(f"{where}: events is not a list")
                continue
            seen = set()
            for e in o["events"]:
                if not isinstance(e, dict) or set(e) != {"source", "target", "code"}:
                    errors.append(f"{where}: bad event {e!r}")
                    continue
                if not re.fullmatch(r"\d{3,4}", e["code"]) or e["code"] not in codes:
                    errors.append(f"{where}: unknown code {e['code']}")
                for side in ("source", "target"):
                    if not actor_ok(e[side], places):
                        errors.append(f"{where}: bad {side} {e[side]}")
                key = (e["source"], e["target"], e["code"])
                if key in seen:
                    errors.append(f"{where}: duplicate event {key}")
                seen.add(key)
            low = text.lower()
            for pattern, wd in WEEKDAYS.items():
                if re.search(pattern, low) and (day.weekday() - wd) % 7 > 3:
                    errors.append(f"{where}: weekday in text is not 0-3 days before {day}")
            for stem, first, last in DATED:
                if re.search(stem, text) and not first <= day <= last:
                    errors.append(f"{where}: {stem} named outside {first}..{last}")
            rows.append(o)

    events = [e for o in rows for e in o["events"]]
    root_events = collections.Counter(e["code"][:2] for e in events)
    root_sents = collections.Counter(r for o in rows for r in {e["code"][:2] for e in o["events"]})
    empty = sum(1 for o in rows if not o["events"])
    print(f"sentences {len(rows)}, events {len(events)}, no-event {empty} "
          f"({100.0 * empty / max(len(rows), 1):.1f}%), notes {sum('note' in o for o in rows)}, "
          f"distinct codes {len({e['code'] for e in events})}")
    print(f"dates {rows[0]['date'] if rows else '-'} .. {rows[-1]['date'] if rows else '-'}")
    for root in [f"{i:02d}" for i in range(1, 21)]:
        print(f"  root {root}: {root_events[root]:3d} events in {root_sents[root]:3d} sentences")
        if root_events[root] < 8:
            errors.append(f"root {root} has only {root_events[root]} events (need 8)")
    if len(rows) < 300:
        errors.append(f"only {len(rows)} sentences (need 300)")
    for msg in errors:
        print("ERROR", msg)
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
