// The store's schema, as an ordered list of migrations. Both back ends get
// the same tables from one template; placeholders stand for what differs:
//   {ID}    the row-id column: SQLite "INTEGER PRIMARY KEY" (the rowid),
//           PostgreSQL "BIGINT PRIMARY KEY" (ids are assigned by the store,
//           never by a sequence, see sql_store.h)
//   {C}     byte-order collation for codes and dates, so prefix ranges
//           ("RUS" <= x < "RUT") mean the same in both (SQLite's default)
//   {JSON}  JSON arrays: TEXT in SQLite, JSONB in PostgreSQL
//   {WR}    WITHOUT ROWID (SQLite only)
//   {BLOB}  opaque bytes: BLOB in SQLite, BYTEA in PostgreSQL
// Never edit a released migration; add a new one.
#include <string>
#include <vector>

#include "store/sql_store.h"

namespace dyad::store {
namespace {

// Version 1: the tables.
constexpr const char* kV1 = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations(
  version BIGINT PRIMARY KEY,
  applied_at TEXT NOT NULL);
CREATE TABLE runs(
  id {ID},
  started_at TEXT NOT NULL,            -- ISO 8601 UTC, "2025-06-12T08:30:00Z"
  finished_at TEXT,
  command TEXT NOT NULL,
  coder_version TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'running',
  files BIGINT NOT NULL DEFAULT 0,
  documents_read BIGINT NOT NULL DEFAULT 0,
  documents_added BIGINT NOT NULL DEFAULT 0,
  duplicates BIGINT NOT NULL DEFAULT 0,
  errors BIGINT NOT NULL DEFAULT 0,
  sentences BIGINT NOT NULL DEFAULT 0,
  events BIGINT NOT NULL DEFAULT 0);
CREATE TABLE stories(
  id {ID},
  key TEXT NOT NULL UNIQUE,            -- content hash of its first document
  first_date TEXT NOT NULL DEFAULT '',
  run_id BIGINT REFERENCES runs(id));
CREATE TABLE documents(
  id {ID},
  content_hash TEXT NOT NULL UNIQUE,
  origin TEXT NOT NULL DEFAULT '',
  format TEXT NOT NULL DEFAULT '',
  external_id TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL DEFAULT '',
  url TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',
  date TEXT{C} NOT NULL DEFAULT '',
  date_origin TEXT NOT NULL DEFAULT '',
  lang TEXT NOT NULL DEFAULT '',
  encoding TEXT NOT NULL DEFAULT '',
  text TEXT NOT NULL,
  signature {BLOB} NOT NULL,           -- MinHash signature (dyad/ingest.h), opaque
  story_id BIGINT NOT NULL REFERENCES stories(id),
  run_id BIGINT REFERENCES runs(id),
  coder_version TEXT NOT NULL DEFAULT '',
  ingested_at TEXT NOT NULL);
CREATE TABLE sentences(
  document_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  idx BIGINT NOT NULL CHECK (idx >= 0 AND idx < 1048576),
  "begin" BIGINT NOT NULL,             -- byte offsets into documents.text
  "end" BIGINT NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (document_id, idx)){WR};
CREATE TABLE events(
  id {ID},
  document_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  sentence_idx BIGINT NOT NULL,
  date TEXT{C} NOT NULL DEFAULT '',
  source TEXT{C} NOT NULL,
  target TEXT{C} NOT NULL,
  code TEXT{C} NOT NULL,
  root TEXT NOT NULL DEFAULT '',
  quad_class BIGINT NOT NULL DEFAULT 0 CHECK (quad_class BETWEEN 0 AND 4),
  goldstein DOUBLE PRECISION,          -- NULL when the code has none
  plover TEXT NOT NULL DEFAULT '',
  sentence_begin BIGINT NOT NULL, sentence_end BIGINT NOT NULL,
  source_begin BIGINT NOT NULL, source_end BIGINT NOT NULL,
  target_begin BIGINT NOT NULL, target_end BIGINT NOT NULL,
  verb_begin BIGINT NOT NULL, verb_end BIGINT NOT NULL,
  source_text TEXT NOT NULL DEFAULT '',
  target_text TEXT NOT NULL DEFAULT '',
  verb_text TEXT NOT NULL DEFAULT '',
  pattern TEXT NOT NULL DEFAULT '',
  pattern_origin TEXT NOT NULL DEFAULT '',
  entries {JSON} NOT NULL,
  modality TEXT NOT NULL DEFAULT '',
  issues {JSON} NOT NULL,
  run_id BIGINT REFERENCES runs(id));
CREATE TABLE actors(
  code TEXT{C} PRIMARY KEY,
  name TEXT NOT NULL DEFAULT '',       -- the first non-empty actor text seen
  first_run BIGINT REFERENCES runs(id)){WR};
CREATE TABLE files(
  path TEXT PRIMARY KEY,
  size BIGINT NOT NULL,
  mtime_ns BIGINT NOT NULL,
  documents BIGINT NOT NULL DEFAULT 0,
  run_id BIGINT REFERENCES runs(id));
)sql";

// Version 2: indexes for the queries, and the full-text index.
constexpr const char* kV2Common = R"sql(
CREATE INDEX events_date ON events(date);
CREATE INDEX events_source ON events(source);
CREATE INDEX events_target ON events(target);
CREATE INDEX events_document ON events(document_id);
CREATE INDEX documents_story ON documents(story_id);
)sql";

// SQLite: a contentless FTS5 table (the text lives in sentences) whose rowid
// is document_id * 2^20 + idx. The store indexes new sentences itself, with
// one INSERT ... SELECT per AddDocuments batch: FTS5 flushes its pending
// terms at every statement savepoint, and an AFTER INSERT trigger would make
// that one flush (and one tiny segment to merge) per sentence, six times
// slower. Deletes and updates, rare, are kept right by triggers, including
// deletes that cascade from documents.
constexpr const char* kV2Sqlite = R"sql(
CREATE VIRTUAL TABLE sentences_fts USING fts5(
  text, content='', tokenize='unicode61 remove_diacritics 2');
-- Merge segments 8 at a time, not 4: ingest does a sixth less FTS work.
INSERT INTO sentences_fts(sentences_fts, rank) VALUES ('automerge', 8);
CREATE TRIGGER sentences_fts_delete AFTER DELETE ON sentences BEGIN
  INSERT INTO sentences_fts(sentences_fts, rowid, text)
  VALUES ('delete', old.document_id * 1048576 + old.idx, old.text);
END;
CREATE TRIGGER sentences_fts_update AFTER UPDATE ON sentences BEGIN
  INSERT INTO sentences_fts(sentences_fts, rowid, text)
  VALUES ('delete', old.document_id * 1048576 + old.idx, old.text);
  INSERT INTO sentences_fts(rowid, text) VALUES (new.document_id * 1048576 + new.idx, new.text);
END;
INSERT INTO sentences_fts(rowid, text) SELECT document_id * 1048576 + idx, text FROM sentences;
)sql";

// PostgreSQL: an expression GIN index; queries use the same expression.
constexpr const char* kV2Postgres = R"sql(
CREATE INDEX sentences_fts ON sentences USING GIN (to_tsvector('simple', text));
)sql";

std::string Expand(std::string sql, Dialect dialect) {
  const bool pg = dialect == Dialect::kPostgres;
  const std::pair<std::string, std::string> subs[] = {
      {"{ID}", pg ? "BIGINT PRIMARY KEY" : "INTEGER PRIMARY KEY"},
      {"{C}", pg ? " COLLATE \"C\"" : ""},
      {"{JSON}", pg ? "JSONB" : "TEXT"},
      {"{WR}", pg ? "" : " WITHOUT ROWID"},
      {"{BLOB}", pg ? "BYTEA" : "BLOB"},
  };
  for (const auto& [from, to] : subs) {
    for (size_t pos = sql.find(from); pos != std::string::npos; pos = sql.find(from, pos)) {
      sql.replace(pos, from.size(), to);
      pos += to.size();
    }
  }
  return sql;
}

// Event ids are published (GDELT's GlobalEventID), so one is never given
// to a different event: the next id is kept here, above every id ever
// issued, instead of being derived from MAX(id), which falls when a
// re-coding deletes the newest events.
constexpr const char* kV3 = R"sql(
CREATE TABLE id_marks (
  name TEXT PRIMARY KEY,
  next_id BIGINT NOT NULL
);
INSERT INTO id_marks(name, next_id) SELECT 'events', COALESCE(MAX(id), 0) + 1 FROM events;
)sql";

// Version 4: the monitor. The change feed (every insert, update and delete
// of an event row, numbered by a sequence that only grows, written by
// triggers so that no write path can forget it; existing events enter it as
// "added"), and the corrections activity log.
constexpr const char* kV4Common = R"sql(
CREATE TABLE corrections(
  id {ID},
  at TEXT NOT NULL,
  holder TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '',
  events_altered BIGINT NOT NULL DEFAULT 0,
  reverts BIGINT,
  reverted_by BIGINT);
)sql";

constexpr const char* kV4Sqlite = R"sql(
CREATE TABLE event_changes(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id BIGINT NOT NULL,
  document_id BIGINT NOT NULL,
  kind TEXT NOT NULL,
  at TEXT NOT NULL);
INSERT INTO event_changes(event_id, document_id, kind, at)
  SELECT id, document_id, 'added', strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM events ORDER BY id;
CREATE TRIGGER events_change_added AFTER INSERT ON events BEGIN
  INSERT INTO event_changes(event_id, document_id, kind, at)
  VALUES (new.id, new.document_id, 'added', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
END;
CREATE TRIGGER events_change_updated AFTER UPDATE ON events BEGIN
  INSERT INTO event_changes(event_id, document_id, kind, at)
  VALUES (new.id, new.document_id, 'updated', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
END;
CREATE TRIGGER events_change_deleted AFTER DELETE ON events BEGIN
  INSERT INTO event_changes(event_id, document_id, kind, at)
  VALUES (old.id, old.document_id, 'deleted', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
END;
)sql";

constexpr const char* kV4Postgres = R"sql(
CREATE TABLE event_changes(
  seq BIGSERIAL PRIMARY KEY,
  event_id BIGINT NOT NULL,
  document_id BIGINT NOT NULL,
  kind TEXT NOT NULL,
  at TEXT NOT NULL);
INSERT INTO event_changes(event_id, document_id, kind, at)
  SELECT id, document_id, 'added', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
  FROM events ORDER BY id;
CREATE FUNCTION dyad_event_change() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  IF TG_OP = 'DELETE' THEN
    INSERT INTO event_changes(event_id, document_id, kind, at) VALUES (OLD.id, OLD.document_id,
      'deleted', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));
    RETURN OLD;
  END IF;
  INSERT INTO event_changes(event_id, document_id, kind, at) VALUES (NEW.id, NEW.document_id,
    CASE WHEN TG_OP = 'INSERT' THEN 'added' ELSE 'updated' END,
    to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));
  RETURN NEW;
END
$body$;
CREATE TRIGGER events_change AFTER INSERT OR UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION dyad_event_change();
)sql";

// Version 5: the watch (dyad watch). Per-source polling state, alerts
// (unique by key: the same alert is never raised twice) and each alert's
// deliveries per notifier; documents by URL (already-seen items).
constexpr const char* kV5 = R"sql(
CREATE TABLE watch_sources(
  name TEXT PRIMARY KEY,
  url TEXT NOT NULL DEFAULT '',
  etag TEXT NOT NULL DEFAULT '',
  last_modified TEXT NOT NULL DEFAULT '',
  last_poll TEXT NOT NULL DEFAULT '',
  last_success TEXT NOT NULL DEFAULT '',
  next_poll TEXT NOT NULL DEFAULT '',
  failures BIGINT NOT NULL DEFAULT 0,
  items_fetched BIGINT NOT NULL DEFAULT 0,
  errors BIGINT NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT ''){WR};
CREATE TABLE alerts(
  id {ID},
  key TEXT NOT NULL UNIQUE,
  rule TEXT NOT NULL,
  fired_at TEXT NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  payload TEXT NOT NULL);
CREATE TABLE notifications(
  alert_id BIGINT NOT NULL REFERENCES alerts(id),
  notifier TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts BIGINT NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  next_attempt TEXT NOT NULL DEFAULT '',
  sent_at TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (alert_id, notifier)){WR};
CREATE INDEX documents_url ON documents(url);
)sql";

// Version 6: alert rules saved from the dashboard (a view subscribed to);
// `dyad watch` evaluates them with the rules of its configuration file.
constexpr const char* kV6 = R"sql(
CREATE TABLE watch_rules(
  id {ID},
  name TEXT NOT NULL UNIQUE,
  spec TEXT NOT NULL,
  holder TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL);
)sql";

}  // namespace

int LatestSchemaVersion() { return 6; }

std::vector<Migration> Migrations(Dialect dialect) {
  const bool pg = dialect == Dialect::kPostgres;
  return {
      {1, "tables", Expand(kV1, dialect)},
      {2, "query indexes and full-text index",
       Expand(std::string(kV2Common) + (pg ? kV2Postgres : kV2Sqlite), dialect)},
      {3, "event id high-water mark", Expand(kV3, dialect)},
      {4, "change feed and corrections log",
       Expand(std::string(kV4Common) + (pg ? kV4Postgres : kV4Sqlite), dialect)},
      {5, "watch state, alerts and notifications", Expand(kV5, dialect)},
      {6, "alert rules saved from the dashboard", Expand(kV6, dialect)},
  };
}

}  // namespace dyad::store
