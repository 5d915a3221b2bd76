// The store's logic, written once for both back ends (see sql_store.h).
//
// Write methods are one transaction each. AddDocuments validates the whole
// batch first, then, inside one write transaction, reads the next free ids,
// finds which content hashes and story keys are stored (a few IN queries),
// and writes stories, documents, sentences, events and actors with
// multi-row INSERTs (RowInserter): a handful of statements per batch, which
// matters on PostgreSQL where each one is a round trip. SQLite's full-text
// index gets the batch's sentences in one statement at the end. The records'
// ids are set only after the commit, so a failed batch leaves both the store
// and the records as they were.
//
// Readers page through results with keyset queries ("id > last ORDER BY id
// LIMIT n") and call the callback between pages, never while a statement is
// open: a callback may call back into the store (the recoder calls
// ReplaceEvents from ForEachDocument), which PostgreSQL could not do inside
// an open transaction.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <deque>
#include <limits>
#include <optional>
#include <unordered_map>
#include <utility>

#include <nlohmann/json.hpp>

#include "store/sql_store.h"

namespace dyad::store {
namespace {

constexpr std::int64_t kNoLimit = std::numeric_limits<std::int64_t>::max();

std::string NowIso() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// "2025-06-12T08:30:00Z" -> "20250612083000".
std::string DateAdded(const std::string& iso) {
  std::string out;
  for (char c : iso) {
    if (c >= '0' && c <= '9') out += c;
  }
  return out.size() >= 14 ? out.substr(0, 14) : out;
}

std::string ToJson(const std::vector<std::string>& v) {
  return nlohmann::json(v).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<std::string> FromJson(const std::string& s) {
  std::vector<std::string> out;
  nlohmann::json j = nlohmann::json::parse(s, nullptr, /*allow_exceptions=*/false);
  if (!j.is_array()) return out;
  for (const auto& item : j) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

Param Text(const std::string& s) { return std::string_view(s); }
Param OptionalId(std::int64_t id) { return id > 0 ? Param(id) : Param(Null{}); }

// Decodes the UTF-8 code point at s[*i] and advances past it. An invalid
// sequence (bad lead or continuation byte, overlong form, surrogate, beyond
// U+10FFFF) gives kInvalid and advances one byte.
constexpr char32_t kInvalid = 0xFFFFFFFF;
char32_t NextCodePoint(std::string_view s, size_t* i) {
  const unsigned char c = s[*i];
  const size_t n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2
                 : (c & 0xF8) == 0xF0 ? 3 : 4;
  if (n == 0) {
    ++*i;
    return c;
  }
  if (n == 4 || s.size() - *i <= n) {
    ++*i;
    return kInvalid;
  }
  char32_t cp = c & (0x3F >> n);
  for (size_t k = 1; k <= n; ++k) {
    const unsigned char b = s[*i + k];
    if ((b & 0xC0) != 0x80) {
      ++*i;
      return kInvalid;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  static constexpr char32_t kMin[] = {0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++*i;
    return kInvalid;
  }
  *i += n + 1;
  return cp;
}

// A search query as valid UTF-8 without control characters: both become
// spaces (PostgreSQL rejects invalid UTF-8 and NUL outright).
std::string CleanQuery(const std::string& query) {
  std::string out;
  out.reserve(query.size());
  for (size_t i = 0; i < query.size();) {
    const size_t start = i;
    const char32_t cp = NextCodePoint(query, &i);
    if (cp == kInvalid || cp < 0x20 || cp == 0x7F) {
      out += ' ';
    } else {
      out.append(query, start, i - start);
    }
  }
  return out;
}

// Whether a query term holds something a tokenizer would index: an ASCII
// letter or digit, or a non-ASCII letter (roughly: not punctuation).
bool HasWordCharacter(std::string_view term) {
  for (size_t i = 0; i < term.size();) {
    char32_t cp = NextCodePoint(term, &i);
    if (cp < 0x80) {
      if (std::isalnum(static_cast<int>(cp))) return true;
    } else if (cp >= 0xC0 && cp != 0xD7 && cp != 0xF7 && cp != kInvalid &&
               !(cp >= 0x2000 && cp <= 0x2BFF) && !(cp >= 0x3000 && cp <= 0x303F) &&
               !(cp >= 0xFE30 && cp <= 0xFE4F) && !(cp >= 0xFF00 && cp <= 0xFF0F)) {
      return true;
    }
  }
  return false;
}

// A user's words as an FTS5 query that cannot be a syntax error: every
// whitespace-separated term becomes a quoted string (quotes doubled), and
// the terms are ANDed, as PostgreSQL's plainto_tsquery does. Terms without
// a word character are dropped. "" when nothing is left.
std::string Fts5Query(const std::string& query) {
  std::string out;
  size_t i = 0;
  while (i < query.size()) {
    while (i < query.size() && static_cast<unsigned char>(query[i]) <= ' ') ++i;
    size_t start = i;
    while (i < query.size() && static_cast<unsigned char>(query[i]) > ' ') ++i;
    std::string_view term(query.data() + start, i - start);
    if (term.empty() || !HasWordCharacter(term)) continue;
    if (!out.empty()) out += ' ';
    out += '"';
    for (char c : term) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  return out;
}

// Validates an actor or event code prefix and returns the half-open range
// [lo, hi) of codes that start with it (codes are ASCII, compared bytewise).
Status PrefixRange(const std::string& prefix, bool digits_only, size_t min_length,
                   const char* what, std::string* lo, std::string* hi) {
  std::string p;
  for (char c : prefix) {
    bool ok = digits_only ? (c >= '0' && c <= '9') : std::isalnum(static_cast<unsigned char>(c));
    if (!ok) return InvalidArgument(std::string(what) + " \"" + prefix + "\" has a character other than " +
                                    (digits_only ? "digits" : "letters and digits"));
    p += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (p.size() < min_length) {
    return InvalidArgument(std::string(what) + " \"" + prefix + "\" is shorter than " +
                           std::to_string(min_length) + " characters");
  }
  *lo = p;
  *hi = p;
  hi->back() = static_cast<char>(hi->back() + 1);
  return Status::Ok();
}

bool IsIsoDate(const std::string& s) {
  std::int32_t ymd = 0;
  return s.size() == 10 && ParseIsoDate(s, &ymd);
}


// Largest power of two <= n (n >= 1). Statements are built for power-of-two
// row counts only, so a handful of prepared variants serves every batch.
size_t FloorPow2(size_t n) {
  size_t p = 1;
  while (p * 2 <= n) p *= 2;
  return p;
}

// Collects rows for one table and writes them with multi-row INSERTs
// ("INSERT ... VALUES (...), (...)"), a few statements per batch instead of
// one per row: the difference between ~500 and several thousand documents a
// second on PostgreSQL, where every statement is a round trip.
class RowInserter {
 public:
  RowInserter(SqlConnection* conn, std::string head, size_t columns, std::string tail = "")
      : conn_(conn), head_(std::move(head)), tail_(std::move(tail)), columns_(columns),
        // Multi-row VALUES saves PostgreSQL round trips; SQLite has none to
        // save, and compiling a many-row statement costs more than stepping
        // one cached single-row statement per row.
        max_rows_(conn->dialect() == Dialect::kSqlite
                      ? 1
                      : FloorPow2(std::min<size_t>(256, 16000 / columns))) {}

  // REQUIRES: params.size() == columns; string views stay valid until Flush().
  void Add(std::initializer_list<Param> params) {
    params_.insert(params_.end(), params.begin(), params.end());
  }
  size_t rows() const { return params_.size() / columns_; }

  Status Flush() {
    size_t done = 0;
    const size_t total = rows();
    while (done < total) {
      const size_t n = FloorPow2(std::min(max_rows_, total - done));
      DYAD_RETURN_IF_ERROR(
          conn_->Execute(Sql(n), params_.data() + done * columns_, n * columns_, nullptr));
      done += n;
    }
    params_.clear();
    return Status::Ok();
  }

 private:
  std::string Sql(size_t rows) const {
    std::string sql = head_ + " VALUES ";
    size_t k = 0;
    for (size_t r = 0; r < rows; ++r) {
      sql += r == 0 ? "(" : ", (";
      for (size_t c = 0; c < columns_; ++c) {
        if (c > 0) sql += ", ";
        sql += '$';
        sql += std::to_string(++k);
      }
      sql += ')';
    }
    return sql + tail_;
  }

  SqlConnection* conn_;
  std::string head_, tail_;
  size_t columns_;
  size_t max_rows_;
  std::vector<Param> params_;
};

// Runs "<head> IN ($1, ..., $n)" over `values` in power-of-two chunks (the
// last value repeated as padding), calling fn per row.
Status SelectIn(SqlConnection* conn, const std::string& head,
                const std::vector<std::string_view>& values, const RowFn& fn) {
  std::vector<Param> params;
  for (size_t done = 0; done < values.size();) {
    const size_t left = values.size() - done;
    const size_t n = std::min<size_t>(256, left <= 1 ? 1 : FloorPow2(left - 1) * 2);
    const size_t take = std::min(n, left);
    params.clear();
    std::string sql = head + " IN (";
    for (size_t i = 0; i < n; ++i) {
      if (i > 0) sql += ", ";
      sql += '$';
      sql += std::to_string(i + 1);
      params.push_back(values[done + std::min(i, take - 1)]);
    }
    sql += ')';
    DYAD_RETURN_IF_ERROR(conn->Execute(sql, params.data(), params.size(), fn));
    done += take;
  }
  return Status::Ok();
}

// Reads `sql` — rows with id > $1 in id order, at most $2 — a page at a
// time, calling `fn` on each row between reads so that it may write to the
// store (the recoder's ReplaceEvents).
template <typename Row, typename Read, typename IdOf, typename Fn>
Status ForEachPage(SqlConnection* conn, const std::string& sql, std::int64_t after,
                   std::int64_t page_size, Read read, IdOf id_of, const Fn& fn) {
  std::vector<Row> page;
  do {
    page.clear();
    DYAD_RETURN_IF_ERROR(conn->Run(sql, {after, page_size},
                                   [&](const SqlRow& r) { page.push_back(read(r)); }));
    for (const Row& row : page) fn(row);
    if (!page.empty()) after = id_of(page.back());
  } while (static_cast<std::int64_t>(page.size()) == page_size);
  return Status::Ok();
}

// A document to re-code: the columns and their reading.
constexpr const char* kRecodeItemSelect =
    "SELECT id, external_id, date, url, title, source, lang, text, coder_version FROM documents ";

RecodeItem ReadRecodeItem(const SqlRow& r) {
  return {r.Int(0),  r.Text(1), r.Text(2), r.Text(3), r.Text(4),
          r.Text(5), r.Text(6), r.Text(7), r.Text(8)};
}

constexpr const char* kInsertEvents =
    "INSERT INTO events(id, document_id, sentence_idx, date, source, target, code, root, "
    "quad_class, goldstein, plover, sentence_begin, sentence_end, source_begin, source_end, "
    "target_begin, target_end, verb_begin, verb_end, source_text, target_text, verb_text, "
    "pattern, pattern_origin, entries, modality, issues, run_id)";
constexpr size_t kEventColumns = 28;

// Appends an event row; `json` keeps its JSON strings alive until the flush.
void AddEventRow(RowInserter* events, std::deque<std::string>* json, std::int64_t id,
                 std::int64_t document_id, const Event& e, std::int64_t run_id) {
  const std::string& entries = json->emplace_back(ToJson(e.entries));
  const std::string& issues = json->emplace_back(ToJson(e.issues));
  events->Add(
      {id, document_id, std::int64_t{e.sentence_index}, Text(e.date), Text(e.source),
       Text(e.target), Text(e.code), Text(e.root), std::int64_t{e.quad_class},
       e.has_goldstein ? Param(e.goldstein) : Param(Null{}), Text(e.plover),
       std::int64_t{e.sentence_span.begin}, std::int64_t{e.sentence_span.end},
       std::int64_t{e.source_span.begin}, std::int64_t{e.source_span.end},
       std::int64_t{e.target_span.begin}, std::int64_t{e.target_span.end},
       std::int64_t{e.verb_span.begin}, std::int64_t{e.verb_span.end}, Text(e.source_text),
       Text(e.target_text), Text(e.verb_text), Text(e.pattern), Text(e.pattern_origin),
       Text(entries), Text(e.modality), Text(issues), OptionalId(run_id)});
}

}  // namespace

// Actor codes in order of first appearance, each with its first non-empty name.
class ActorNames {
 public:
  void See(const std::string& code, const std::string& name) {
    if (code.empty()) return;
    auto [it, added] = index_.emplace(code, names_.size());
    if (added) {
      names_.emplace_back(code, name);
    } else if (names_[it->second].second.empty()) {
      names_[it->second].second = name;
    }
  }
  void SeeEvent(const Event& e) {
    See(e.source, e.source_text);
    See(e.target, e.target_text);
  }
  const std::vector<std::pair<std::string, std::string>>& names() const { return names_; }

 private:
  std::unordered_map<std::string, size_t> index_;
  std::vector<std::pair<std::string, std::string>> names_;
};


SqlStore::SqlStore(std::unique_ptr<SqlConnection> conn, std::string name)
    : conn_(std::move(conn)), dialect_(conn_->dialect()), name_(std::move(name)) {}

Result<std::unique_ptr<SqlStore>> SqlStore::Create(std::unique_ptr<SqlConnection> conn,
                                                   std::string name,
                                                   const OpenOptions& options) {
  std::unique_ptr<SqlStore> store(new SqlStore(std::move(conn), std::move(name)));
  Status s = store->Migrate(options);
  if (!s.ok()) return s;
  return store;
}

Status SqlStore::WriteTransaction(const std::function<Status()>& body) {
  DYAD_RETURN_IF_ERROR(Named(conn_->Begin(true)));
  Status s = body();
  if (s.ok()) s = conn_->Commit();
  if (!s.ok()) {
    conn_->Rollback();
    return Named(s);
  }
  return Status::Ok();
}

Status SqlStore::Named(const Status& s) const {
  if (s.ok()) return s;
  return Status(s.code(), name_ + ": " + s.message(), s.where());
}

std::string SqlStore::backend() const {
  return dialect_ == Dialect::kSqlite ? "sqlite" : "postgresql";
}

Result<int> SqlStore::ReadVersion() {
  std::int64_t tables = 0;
  const char* exists_sql =
      dialect_ == Dialect::kSqlite
          ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
          : "SELECT count(*) FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_name = 'schema_migrations'";
  DYAD_RETURN_IF_ERROR(conn_->Run(exists_sql, {}, [&](const SqlRow& r) { tables = r.Int(0); }));
  if (tables == 0) return 0;
  std::int64_t version = 0;
  DYAD_RETURN_IF_ERROR(conn_->Run("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", {},
                                  [&](const SqlRow& r) { version = r.Int(0); }));
  return static_cast<int>(version);
}

Status SqlStore::Migrate(const OpenOptions& options) {
  Result<int> version = ReadVersion();
  if (!version.ok()) return Named(version.status());
  const int latest = LatestSchemaVersion();
  if (*version > latest) {
    return Named(InvalidArgument("the store has schema version " + std::to_string(*version) +
                                 ", newer than this dyad knows (" + std::to_string(latest) +
                                 "); use a newer dyad. The store was not changed"));
  }
  if (*version == 0) {
    // A database that is not empty but was not made by dyad: never touch it.
    std::int64_t foreign = 0;
    const char* foreign_sql =
        dialect_ == Dialect::kSqlite
            ? "SELECT count(*) FROM sqlite_master"
            : "SELECT count(*) FROM information_schema.tables WHERE table_schema = "
              "current_schema() AND table_name IN ('runs', 'stories', 'documents', "
              "'sentences', 'events', 'actors', 'files')";
    DYAD_RETURN_IF_ERROR(
        Named(conn_->Run(foreign_sql, {}, [&](const SqlRow& r) { foreign = r.Int(0); })));
    if (foreign > 0) {
      return Named(InvalidArgument(
          "not a dyad store: the database has tables but no schema_migrations; it was not "
          "changed"));
    }
  }
  DYAD_RETURN_IF_ERROR(Named(conn_->Configure()));
  const int target = options.target_version < 0 ? latest : std::min(options.target_version, latest);
  for (const Migration& m : Migrations(dialect_)) {
    if (m.version <= *version || m.version > target) continue;
    DYAD_RETURN_IF_ERROR(Named(conn_->Begin(/*write=*/true)));
    Status s;
    // Another process may have migrated while we waited for the lock.
    Result<int> now_version = ReadVersion();
    if (!now_version.ok()) {
      s = now_version.status();
    } else if (*now_version < m.version) {
      s = conn_->ExecScript(m.sql);
      std::string applied = NowIso();
      if (s.ok()) {
        s = conn_->Run("INSERT INTO schema_migrations(version, applied_at) VALUES ($1, $2)",
                       {std::int64_t{m.version}, Text(applied)});
      }
    }
    if (s.ok()) s = conn_->Commit();
    if (!s.ok()) {
      conn_->Rollback();
      return Named(Status(s.code(), "migration " + std::to_string(m.version) + " (" +
                                        m.description + ") failed: " + s.message()));
    }
  }
  return Status::Ok();
}

Result<int> SqlStore::SchemaVersion() {
  Result<int> v = ReadVersion();
  if (!v.ok()) return Named(v.status());
  return v;
}

Result<std::int64_t> SqlStore::NextId(const char* table) {
  std::int64_t next = 1;
  DYAD_RETURN_IF_ERROR(conn_->Run(std::string("SELECT COALESCE(MAX(id), 0) + 1 FROM ") + table,
                                  {}, [&](const SqlRow& r) { next = r.Int(0); }));
  return next;
}

Result<std::int64_t> SqlStore::NextEventId() {
  std::int64_t next = 1;
  DYAD_RETURN_IF_ERROR(conn_->Run(
      "SELECT MAX(n) FROM (SELECT COALESCE(MAX(id), 0) + 1 AS n FROM events "
      "UNION ALL SELECT next_id AS n FROM id_marks WHERE name = 'events') AS candidates",
      {}, [&](const SqlRow& r) { next = r.IsNull(0) ? 1 : r.Int(0); }));
  return next;
}

Status SqlStore::SaveNextEventId(std::int64_t next) {
  return conn_->Run(
      "INSERT INTO id_marks(name, next_id) VALUES ('events', $1) "
      "ON CONFLICT (name) DO UPDATE SET next_id = excluded.next_id",
      {next});
}

Result<std::int64_t> SqlStore::BeginRun(const std::string& command,
                                        const std::string& coder_version) {
  DYAD_RETURN_IF_ERROR(Named(conn_->Begin(true)));
  Result<std::int64_t> id = NextId("runs");
  Status s = id.status();
  if (id.ok()) {
    std::string now = NowIso();
    s = conn_->Run(
        "INSERT INTO runs(id, started_at, command, coder_version, status) "
        "VALUES ($1, $2, $3, $4, 'running')",
        {*id, Text(now), Text(command), Text(coder_version)});
  }
  if (s.ok()) s = conn_->Commit();
  if (!s.ok()) {
    conn_->Rollback();
    return Named(s);
  }
  return id;
}

Status SqlStore::FinishRun(std::int64_t run_id, const RunSummary& r) {
  std::string now = NowIso();
  bool found = false;
  DYAD_RETURN_IF_ERROR(Named(conn_->Run(
      "UPDATE runs SET finished_at = $2, status = $3, files = $4, documents_read = $5, "
      "documents_added = $6, duplicates = $7, errors = $8, sentences = $9, events = $10 "
      "WHERE id = $1 RETURNING id",
      {run_id, Text(now), Text(r.status), r.files, r.documents_read, r.documents_added,
       r.duplicates, r.errors, r.sentences, r.events},
      [&](const SqlRow&) { found = true; })));
  if (!found) return Named(NotFound("no run " + std::to_string(run_id)));
  return Status::Ok();
}

Result<std::vector<bool>> SqlStore::HasDocuments(const std::vector<std::string>& hashes) {
  std::unordered_set<std::string> stored;
  const std::vector<std::string_view> views(hashes.begin(), hashes.end());
  DYAD_RETURN_IF_ERROR(Named(SelectIn(conn_.get(),
                                      "SELECT content_hash FROM documents WHERE content_hash",
                                      views, [&](const SqlRow& r) { stored.insert(r.Text(0)); })));
  std::vector<bool> out;
  out.reserve(hashes.size());
  for (const std::string& h : hashes) out.push_back(stored.count(h) > 0);
  return out;
}

Status SqlStore::UpsertActors(const ActorNames& actors, std::int64_t run_id,
                              std::unordered_set<std::string>* named) {
  // The first non-empty name wins: a stored name is never overwritten. Codes
  // are unique within the statement, as PostgreSQL's ON CONFLICT requires.
  RowInserter upsert(conn_.get(), "INSERT INTO actors(code, name, first_run)", 3,
                     " ON CONFLICT (code) DO UPDATE SET name = excluded.name "
                     "WHERE actors.name = '' AND excluded.name <> ''");
  for (const auto& [code, name] : actors.names()) {
    if (named_actors_.count(code)) continue;
    upsert.Add({Text(code), Text(name), OptionalId(run_id)});
    if (!name.empty()) named->insert(code);
  }
  return upsert.Flush();
}

Result<std::int64_t> SqlStore::AddDocuments(std::int64_t run_id,
                                            std::vector<DocumentRecord>* records) {
  if (records == nullptr || records->empty()) return std::int64_t{0};
  // Validate the whole batch before writing anything.
  for (size_t i = 0; i < records->size(); ++i) {
    const DocumentRecord& rec = (*records)[i];
    const std::string where = "record " + std::to_string(i + 1) +
                              (rec.document.origin.empty() ? "" : " (" + rec.document.origin + ")");
    if (rec.document.content_hash.empty()) {
      return Named(InvalidArgument("document has no content hash", where));
    }
    for (const StoredSentence& s : rec.sentences) {
      if (s.begin > s.end || s.end > rec.document.text.size()) {
        return Named(InvalidArgument(
            "sentence " + std::to_string(s.index) + " spans bytes " + std::to_string(s.begin) +
                "-" + std::to_string(s.end) + " of a " +
                std::to_string(rec.document.text.size()) + "-byte text",
            where));
      }
    }
  }

  std::vector<std::pair<size_t, std::int64_t>> added;   // record index, new id
  std::unordered_set<std::string> named;                 // actors named in this batch
  auto body = [&]() -> Status {
    Result<std::int64_t> next_doc = NextId("documents");
    if (!next_doc.ok()) return next_doc.status();
    Result<std::int64_t> next_story = NextId("stories");
    if (!next_story.ok()) return next_story.status();
    Result<std::int64_t> next_event = NextEventId();
    if (!next_event.ok()) return next_event.status();

    // Which hashes and story keys are stored already: a few queries per batch.
    std::vector<std::string_view> hashes, keys;
    for (const DocumentRecord& rec : *records) {
      const StoredDocument& d = rec.document;
      hashes.push_back(d.content_hash);
      keys.push_back(d.story_key.empty() ? d.content_hash : d.story_key);
    }
    std::unordered_set<std::string> stored;
    DYAD_RETURN_IF_ERROR(SelectIn(conn_.get(),
                                  "SELECT content_hash FROM documents WHERE content_hash", hashes,
                                  [&](const SqlRow& r) { stored.insert(r.Text(0)); }));
    std::unordered_map<std::string, std::int64_t> stories;
    DYAD_RETURN_IF_ERROR(SelectIn(conn_.get(), "SELECT key, id FROM stories WHERE key", keys,
                                  [&](const SqlRow& r) { stories.emplace(r.Text(0), r.Int(1)); }));

    RowInserter story_rows(conn_.get(), "INSERT INTO stories(id, key, first_date, run_id)", 4);
    RowInserter document_rows(
        conn_.get(),
        "INSERT INTO documents(id, content_hash, origin, format, external_id, title, url, "
        "source, date, date_origin, lang, encoding, text, signature, story_id, run_id, "
        "coder_version, ingested_at)",
        18);
    RowInserter sentence_rows(
        conn_.get(), "INSERT INTO sentences(document_id, idx, \"begin\", \"end\", text)", 5);
    RowInserter event_rows(conn_.get(), kInsertEvents, kEventColumns);
    std::deque<std::string> json;
    ActorNames actors;
    const std::string now = NowIso();
    for (size_t i = 0; i < records->size(); ++i) {
      const DocumentRecord& rec = (*records)[i];
      const StoredDocument& d = rec.document;
      // Skips stored hashes, and repeats within the batch (now in `stored`).
      if (!stored.insert(d.content_hash).second) continue;
      // A document without a story key starts its own story, named by its hash.
      const std::string& key = d.story_key.empty() ? d.content_hash : d.story_key;
      auto [story, is_new] = stories.emplace(key, 0);
      if (is_new) {
        story->second = (*next_story)++;
        story_rows.Add({story->second, Text(key), Text(d.date), OptionalId(run_id)});
      }
      const std::int64_t doc_id = (*next_doc)++;
      document_rows.Add({doc_id, Text(d.content_hash), Text(d.origin), Text(d.format),
                         Text(d.external_id), Text(d.title), Text(d.url), Text(d.source),
                         Text(d.date), Text(d.date_origin), Text(d.lang), Text(d.encoding),
                         Text(d.text), Blob{d.signature}, story->second, OptionalId(run_id),
                         Text(d.coder_version), Text(now)});
      const std::string_view text(d.text);
      for (const StoredSentence& s : rec.sentences) {
        sentence_rows.Add({doc_id, std::int64_t{s.index}, std::int64_t{s.begin},
                           std::int64_t{s.end}, text.substr(s.begin, s.end - s.begin)});
      }
      for (const Event& e : rec.events) {
        AddEventRow(&event_rows, &json, (*next_event)++, doc_id, e, run_id);
        actors.SeeEvent(e);
      }
      added.emplace_back(i, doc_id);
    }
    // Parents before children, for the foreign keys.
    DYAD_RETURN_IF_ERROR(story_rows.Flush());
    DYAD_RETURN_IF_ERROR(document_rows.Flush());
    DYAD_RETURN_IF_ERROR(sentence_rows.Flush());
    DYAD_RETURN_IF_ERROR(event_rows.Flush());
    DYAD_RETURN_IF_ERROR(SaveNextEventId(*next_event));
    DYAD_RETURN_IF_ERROR(UpsertActors(actors, run_id, &named));
    if (dialect_ == Dialect::kSqlite && !added.empty()) {
      // The new documents' sentences into the full-text index, in one
      // statement (migrations.cc says why not by trigger).
      DYAD_RETURN_IF_ERROR(conn_->Run(
          "INSERT INTO sentences_fts(rowid, text) SELECT document_id * 1048576 + idx, text "
          "FROM sentences WHERE document_id >= $1",
          {added.front().second}));
    }
    return Status::Ok();
  };

  DYAD_RETURN_IF_ERROR(WriteTransaction(body));
  for (const auto& [index, id] : added) (*records)[index].document.id = id;
  named_actors_.insert(named.begin(), named.end());
  return static_cast<std::int64_t>(added.size());
}

Status SqlStore::ForEachSignature(
    const std::function<void(const std::string&, const std::string&, const std::string&)>& fn) {
  struct Sig {
    std::int64_t id;
    std::string signature;
    std::string key, date;
  };
  return Named(ForEachPage<Sig>(
      conn_.get(),
      "SELECT d.id, d.signature, s.key, d.date FROM documents d JOIN stories s "
      "ON s.id = d.story_id WHERE d.id > $1 ORDER BY d.id LIMIT $2",
      0, 4096, [](const SqlRow& r) { return Sig{r.Int(0), r.Bytes(1), r.Text(2), r.Text(3)}; },
      [](const Sig& sig) { return sig.id; },
      [&](const Sig& sig) { fn(sig.signature, sig.key, sig.date); }));
}

Result<bool> SqlStore::IsFileDone(const FileMark& mark) {
  bool done = false;
  DYAD_RETURN_IF_ERROR(Named(conn_->Run(
      "SELECT 1 FROM files WHERE path = $1 AND size = $2 AND mtime_ns = $3",
      {Text(mark.path), mark.size, mark.mtime_ns}, [&](const SqlRow&) { done = true; })));
  return done;
}

Status SqlStore::MarkFilesDone(std::int64_t run_id, const std::vector<FileMark>& marks) {
  if (marks.empty()) return Status::Ok();
  DYAD_RETURN_IF_ERROR(Named(conn_->Begin(true)));
  Status s;
  for (const FileMark& mark : marks) {
    s = conn_->Run(
        "INSERT INTO files(path, size, mtime_ns, documents, run_id) VALUES ($1, $2, $3, $4, $5) "
        "ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns, "
        "documents = excluded.documents, run_id = excluded.run_id",
        {Text(mark.path), mark.size, mark.mtime_ns, mark.documents, OptionalId(run_id)});
    if (!s.ok()) break;
  }
  if (s.ok()) s = conn_->Commit();
  if (!s.ok()) {
    conn_->Rollback();
    return Named(s);
  }
  return Status::Ok();
}

Status SqlStore::ForEachDocument(const std::function<void(const RecodeItem&)>& fn) {
  return Named(ForEachPage<RecodeItem>(
      conn_.get(), std::string(kRecodeItemSelect) + "WHERE id > $1 ORDER BY id LIMIT $2", 0, 256,
      ReadRecodeItem, [](const RecodeItem& item) { return item.document_id; }, fn));
}

namespace {

// The columns of an EventRow, and the joins that give them; callers add
// WHERE / ORDER BY. ReadEventRow decodes one row of it.
constexpr const char* kEventRowSelect =
    "SELECT e.id, e.document_id, d.story_id, e.sentence_idx, e.date, e.source, e.target, "
    "e.code, e.root, e.quad_class, e.goldstein, e.plover, e.sentence_begin, e.sentence_end, "
    "e.source_begin, e.source_end, e.target_begin, e.target_end, e.verb_begin, e.verb_end, "
    "e.source_text, e.target_text, e.verb_text, e.pattern, e.pattern_origin, e.entries, "
    "e.modality, e.issues, d.external_id, d.origin, d.url, d.source, d.title, "
    "COALESCE(r.started_at, d.ingested_at), a1.name, a2.name, s.text, s.\"begin\", s.\"end\" "
    "FROM events e JOIN documents d ON d.id = e.document_id "
    "LEFT JOIN runs r ON r.id = e.run_id "
    "LEFT JOIN actors a1 ON a1.code = e.source "
    "LEFT JOIN actors a2 ON a2.code = e.target "
    "LEFT JOIN sentences s ON s.document_id = e.document_id AND s.idx = e.sentence_idx ";

// Returns false when the event's sentence is not stored as such (the
// coder's sentence differs from the stored one): FillSentences cuts it.
bool ReadEventRow(const SqlRow& r, EventRow* out) {
  EventRow& row = *out;
  row.event_id = r.Int(0);
  row.document_id = r.Int(1);
  row.story_id = r.Int(2);
  Event& e = row.event;
  e.sentence_index = static_cast<std::uint32_t>(r.Int(3));
  e.date = r.Text(4);
  e.source = r.Text(5);
  e.target = r.Text(6);
  e.code = r.Text(7);
  e.root = r.Text(8);
  e.quad_class = static_cast<int>(r.Int(9));
  e.has_goldstein = !r.IsNull(10);
  e.goldstein = e.has_goldstein ? r.Double(10) : 0;
  e.plover = r.Text(11);
  auto span = [&](int col) {
    return Span{static_cast<std::uint32_t>(r.Int(col)), static_cast<std::uint32_t>(r.Int(col + 1))};
  };
  e.sentence_span = span(12);
  e.source_span = span(14);
  e.target_span = span(16);
  e.verb_span = span(18);
  e.source_text = r.Text(20);
  e.target_text = r.Text(21);
  e.verb_text = r.Text(22);
  e.pattern = r.Text(23);
  e.pattern_origin = r.Text(24);
  e.entries = FromJson(r.Text(25));
  e.modality = r.Text(26);
  e.issues = FromJson(r.Text(27));
  e.doc_id = r.Text(28);
  if (e.doc_id.empty()) e.doc_id = r.Text(29);
  row.url = r.Text(30);
  row.outlet = r.Text(31);
  row.title = r.Text(32);
  row.date_added = DateAdded(r.Text(33));
  row.actor1_name = r.IsNull(34) ? "" : r.Text(34);
  row.actor2_name = r.IsNull(35) ? "" : r.Text(35);
  if (!r.IsNull(36) && r.Int(37) == e.sentence_span.begin && r.Int(38) == e.sentence_span.end) {
    e.sentence = r.Text(36);
    return true;
  }
  return false;
}

}  // namespace

}  // namespace dyad::store

namespace dyad {

bool SameEvidence(const Event& a, const Event& b) {
  return a.date == b.date && a.root == b.root && a.quad_class == b.quad_class &&
         a.has_goldstein == b.has_goldstein && (!a.has_goldstein || a.goldstein == b.goldstein) &&
         a.plover == b.plover && a.sentence_span == b.sentence_span &&
         a.source_span == b.source_span && a.target_span == b.target_span &&
         a.verb_span == b.verb_span && a.source_text == b.source_text &&
         a.target_text == b.target_text && a.verb_text == b.verb_text &&
         a.pattern == b.pattern && a.pattern_origin == b.pattern_origin &&
         a.entries == b.entries && a.modality == b.modality && a.issues == b.issues;
}

std::string ReplaceKey(const Event& e) {
  std::string key = std::to_string(e.sentence_index);
  key += '\t';
  key += e.source;
  key += '\t';
  key += e.target;
  key += '\t';
  key += e.code;
  return key;
}

}  // namespace dyad

namespace dyad::store {

// Re-coding keeps an event's row and id when the same sentence still gives
// the same source, target and code: published ids stay valid and the change
// feed reports only what really changed (added, updated, deleted).
Status SqlStore::ReplaceEvents(std::int64_t document_id, const std::vector<Event>& events,
                               const std::string& coder_version) {
  std::unordered_set<std::string> named;
  auto body = [&]() -> Status {
    bool found = false;
    std::int64_t run_id = 0;
    DYAD_RETURN_IF_ERROR(conn_->Run("SELECT run_id FROM documents WHERE id = $1", {document_id},
                                    [&](const SqlRow& r) {
                                      found = true;
                                      run_id = r.IsNull(0) ? 0 : r.Int(0);
                                    }));
    if (!found) return NotFound("no document " + std::to_string(document_id));
    std::vector<EventRow> old;
    DYAD_RETURN_IF_ERROR(conn_->Run(std::string(kEventRowSelect) +
                                        "WHERE e.document_id = $1 ORDER BY e.id",
                                    {document_id}, [&](const SqlRow& r) {
                                      ReadEventRow(r, &old.emplace_back());
                                    }));
    std::unordered_multimap<std::string, size_t> old_by_key;
    for (size_t i = 0; i < old.size(); ++i) old_by_key.emplace(ReplaceKey(old[i].event), i);
    std::vector<bool> kept(old.size(), false);
    std::vector<const Event*> added;
    std::deque<std::string> json;
    for (const Event& e : events) {
      auto it = old_by_key.find(ReplaceKey(e));
      if (it == old_by_key.end()) {
        added.push_back(&e);
        continue;
      }
      const size_t i = it->second;
      old_by_key.erase(it);
      kept[i] = true;
      if (SameEvidence(old[i].event, e)) continue;
      const std::string& entries = json.emplace_back(ToJson(e.entries));
      const std::string& issues = json.emplace_back(ToJson(e.issues));
      DYAD_RETURN_IF_ERROR(conn_->Run(
          "UPDATE events SET date = $2, root = $3, quad_class = $4, goldstein = $5, "
          "plover = $6, sentence_begin = $7, sentence_end = $8, source_begin = $9, "
          "source_end = $10, target_begin = $11, target_end = $12, verb_begin = $13, "
          "verb_end = $14, source_text = $15, target_text = $16, verb_text = $17, "
          "pattern = $18, pattern_origin = $19, entries = $20, modality = $21, issues = $22 "
          "WHERE id = $1",
          {old[i].event_id, Text(e.date), Text(e.root), std::int64_t{e.quad_class},
           e.has_goldstein ? Param(e.goldstein) : Param(Null{}), Text(e.plover),
           std::int64_t{e.sentence_span.begin}, std::int64_t{e.sentence_span.end},
           std::int64_t{e.source_span.begin}, std::int64_t{e.source_span.end},
           std::int64_t{e.target_span.begin}, std::int64_t{e.target_span.end},
           std::int64_t{e.verb_span.begin}, std::int64_t{e.verb_span.end}, Text(e.source_text),
           Text(e.target_text), Text(e.verb_text), Text(e.pattern), Text(e.pattern_origin),
           Text(entries), Text(e.modality), Text(issues)}));
    }
    for (size_t i = 0; i < old.size(); ++i) {
      if (kept[i]) continue;
      DYAD_RETURN_IF_ERROR(
          conn_->Run("DELETE FROM events WHERE id = $1", {old[i].event_id}));
    }
    ActorNames actors;
    if (!added.empty()) {
      Result<std::int64_t> next = NextEventId();
      if (!next.ok()) return next.status();
      // The new events keep the run that stored the document.
      RowInserter event_rows(conn_.get(), kInsertEvents, kEventColumns);
      for (const Event* e : added) {
        AddEventRow(&event_rows, &json, (*next)++, document_id, *e, run_id);
        actors.SeeEvent(*e);
      }
      DYAD_RETURN_IF_ERROR(event_rows.Flush());
      DYAD_RETURN_IF_ERROR(SaveNextEventId(*next));
    }
    DYAD_RETURN_IF_ERROR(UpsertActors(actors, run_id, &named));
    return conn_->Run("UPDATE documents SET coder_version = $2 WHERE id = $1",
                      {document_id, Text(coder_version)});
  };
  DYAD_RETURN_IF_ERROR(WriteTransaction(body));
  named_actors_.insert(named.begin(), named.end());
  return Status::Ok();
}

Status SqlStore::FillSentences(const std::vector<size_t>& missing, std::vector<EventRow>* rows) {
  std::int64_t text_doc = 0;
  std::string text;
  for (size_t i : missing) {
    EventRow& row = (*rows)[i];
    if (row.document_id != text_doc) {
      text_doc = row.document_id;
      text.clear();
      DYAD_RETURN_IF_ERROR(Named(conn_->Run("SELECT text FROM documents WHERE id = $1",
                                            {text_doc},
                                            [&](const SqlRow& r) { text = r.Text(0); })));
    }
    const Span sp = row.event.sentence_span;
    if (sp.begin <= sp.end && sp.end <= text.size()) {
      row.event.sentence = text.substr(sp.begin, sp.end - sp.begin);
    }
  }
  return Status::Ok();
}


Status SqlStore::QueryEvents(const EventQuery& query,
                             const std::function<void(const EventRow&)>& fn) {
  // Validate and turn the filters into SQL with numbered parameters; $1 and
  // $2 are the keyset cursor (story id, event id), the last one the page size.
  if (!query.from.empty() && !IsIsoDate(query.from)) {
    return Named(InvalidArgument("bad from date \"" + query.from + "\"; expected YYYY-MM-DD"));
  }
  if (!query.to.empty() && !IsIsoDate(query.to)) {
    return Named(InvalidArgument("bad to date \"" + query.to + "\"; expected YYYY-MM-DD"));
  }
  std::vector<std::string> values;   // filter parameters, $3 onwards
  std::string where;
  auto param = [&](std::string v) {
    values.push_back(std::move(v));
    std::string name(1, '$');   // not "$" + ...: GCC 12 warns (-Wrestrict) falsely
    name += std::to_string(values.size() + 2);
    return name;
  };
  if (!query.from.empty()) where += " AND e.date >= " + param(query.from);
  if (!query.to.empty()) where += " AND e.date <= " + param(query.to) + " AND e.date <> ''";
  std::string a_lo, a_hi, b_lo, b_hi;
  if (!query.actor_a.empty()) {
    DYAD_RETURN_IF_ERROR(Named(PrefixRange(query.actor_a, false, 3, "actor", &a_lo, &a_hi)));
  }
  if (!query.actor_b.empty()) {
    DYAD_RETURN_IF_ERROR(Named(PrefixRange(query.actor_b, false, 3, "actor", &b_lo, &b_hi)));
  }
  auto in = [&](const char* column, const std::string& lo, const std::string& hi) {
    return std::string("(e.") + column + " >= " + param(lo) + " AND e." + column + " < " +
           param(hi) + ")";
  };
  const bool has_a = !a_lo.empty(), has_b = !b_lo.empty();
  if (has_a && has_b) {
    std::string ab = in("source", a_lo, a_hi) + " AND " + in("target", b_lo, b_hi);
    if (query.directed) {
      where += " AND " + ab;
    } else {
      where += " AND ((" + ab + ") OR (" + in("source", b_lo, b_hi) + " AND " +
               in("target", a_lo, a_hi) + "))";
    }
  } else if (has_a || has_b) {
    const std::string& lo = has_a ? a_lo : b_lo;
    const std::string& hi = has_a ? a_hi : b_hi;
    if (query.directed) {
      where += " AND " + in(has_a ? "source" : "target", lo, hi);
    } else {
      where += " AND (" + in("source", lo, hi) + " OR " + in("target", lo, hi) + ")";
    }
  }
  if (!query.code_prefix.empty()) {
    std::string lo, hi;
    DYAD_RETURN_IF_ERROR(Named(PrefixRange(query.code_prefix, true, 1, "code prefix", &lo, &hi)));
    where += " AND e.code >= " + param(lo) + " AND e.code < " + param(hi);
  }
  std::string limit_param(1, '$');
  limit_param += std::to_string(values.size() + 3);
  const std::string sql = std::string(kEventRowSelect) +
      "WHERE (d.story_id > $1 OR (d.story_id = $1 AND e.id > $2))" +
      where + " ORDER BY d.story_id, e.id LIMIT " + limit_param;

  std::int64_t remaining = query.limit < 0 ? kNoLimit : query.limit;
  std::int64_t last_story = 0, last_event = 0;
  constexpr std::int64_t kPage = 1000;
  std::vector<EventRow> page;
  std::vector<size_t> missing_sentence;   // rows whose sentence is not stored as such
  while (remaining > 0) {
    const std::int64_t want = std::min(kPage, remaining);
    std::vector<Param> params = {last_story, last_event};
    for (const std::string& v : values) params.push_back(std::string_view(v));
    params.push_back(want);
    page.clear();
    missing_sentence.clear();
    DYAD_RETURN_IF_ERROR(Named(conn_->Run(sql, params, [&](const SqlRow& r) {
      if (!ReadEventRow(r, &page.emplace_back())) missing_sentence.push_back(page.size() - 1);
    })));
    DYAD_RETURN_IF_ERROR(FillSentences(missing_sentence, &page));
    for (const EventRow& row : page) fn(row);
    const std::int64_t got = static_cast<std::int64_t>(page.size());
    remaining -= got;
    if (got < want) break;
    last_story = page.back().story_id;
    last_event = page.back().event_id;
  }
  return Status::Ok();
}

Result<std::vector<SentenceHit>> SqlStore::SearchSentences(const std::string& query,
                                                           int limit) {
  std::vector<SentenceHit> hits;
  const std::int64_t n = limit > 0 ? limit : kNoLimit;
  auto collect = [&](const SqlRow& r) {
    hits.push_back({r.Int(0), static_cast<std::uint32_t>(r.Int(1)), r.Text(2)});
  };
  const std::string clean = CleanQuery(query);
  if (dialect_ == Dialect::kSqlite) {
    const std::string fts = Fts5Query(clean);
    if (fts.empty()) return hits;
    // Best (lowest bm25 rank) first; ties in document and sentence order.
    DYAD_RETURN_IF_ERROR(Named(conn_->Run(
        "SELECT s.document_id, s.idx, s.text FROM (SELECT rowid AS rid, rank AS r FROM "
        "sentences_fts WHERE sentences_fts MATCH $1 ORDER BY rank, rowid LIMIT $2) f "
        "JOIN sentences s ON s.document_id = f.rid / 1048576 AND s.idx = f.rid % 1048576 "
        "ORDER BY f.r, f.rid",
        {Text(fts), n}, collect)));
  } else {
    if (Fts5Query(clean).empty()) return hits;   // nothing searchable
    DYAD_RETURN_IF_ERROR(Named(conn_->Run(
        "SELECT document_id, idx, text FROM sentences, plainto_tsquery('simple', $1) q "
        "WHERE to_tsvector('simple', text) @@ q "
        "ORDER BY ts_rank(to_tsvector('simple', text), q) DESC, document_id, idx LIMIT $2",
        {Text(clean), n}, collect)));
  }
  return hits;
}

Result<StoreCounts> SqlStore::Counts() {
  StoreCounts c;
  DYAD_RETURN_IF_ERROR(Named(conn_->Run(
      "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM sentences), "
      "(SELECT count(*) FROM stories), (SELECT count(*) FROM events), "
      "(SELECT count(*) FROM actors), (SELECT count(*) FROM runs)",
      {}, [&](const SqlRow& r) {
        c = {r.Int(0), r.Int(1), r.Int(2), r.Int(3), r.Int(4), r.Int(5)};
      })));
  return c;
}

// --- The monitor ---

namespace {

constexpr const char* kEventFactSelect =
    "SELECT e.id, e.document_id, d.story_id, e.date, e.source, e.target, e.code, e.quad_class, "
    "e.goldstein, e.sentence_idx FROM events e JOIN documents d ON d.id = e.document_id ";

EventFact ReadEventFact(const SqlRow& r) {
  EventFact f;
  f.event_id = r.Int(0);
  f.document_id = r.Int(1);
  f.story_id = r.Int(2);
  f.date = r.Text(3);
  f.source = r.Text(4);
  f.target = r.Text(5);
  f.code = r.Text(6);
  f.quad_class = static_cast<int>(r.Int(7));
  f.has_goldstein = !r.IsNull(8);
  f.goldstein = f.has_goldstein ? r.Double(8) : 0;
  f.sentence_index = static_cast<std::uint32_t>(r.Int(9));
  return f;
}

constexpr const char* kDocumentFactSelect = "SELECT id, story_id, date, source FROM documents ";

DocumentFact ReadDocumentFact(const SqlRow& r) {
  return {r.Int(0), r.Int(1), r.Text(2), r.Text(3)};
}

// "$1, $2, ..., $n" for an IN list of n parameters starting at `first`.
std::string Placeholders(size_t n, size_t first = 1) {
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    if (i) out += ", ";
    out += '$';
    out += std::to_string(first + i);
  }
  return out;
}

constexpr size_t kInListChunk = 500;   // ids per IN (...) statement

CorrectionRecord ReadCorrection(const SqlRow& r) {
  CorrectionRecord c;
  c.id = r.Int(0);
  c.at = r.Text(1);
  c.holder = r.Text(2);
  c.kind = r.Text(3);
  c.payload = r.Text(4);
  c.summary = r.Text(5);
  c.events_altered = r.Int(6);
  c.reverts = r.IsNull(7) ? 0 : r.Int(7);
  c.reverted_by = r.IsNull(8) ? 0 : r.Int(8);
  return c;
}

constexpr const char* kCorrectionSelect =
    "SELECT id, at, holder, kind, payload, summary, events_altered, reverts, reverted_by "
    "FROM corrections ";

}  // namespace

Status SqlStore::ForEachEventFact(const std::function<void(const EventFact&)>& fn) {
  return Named(ForEachPage<EventFact>(
      conn_.get(), std::string(kEventFactSelect) + "WHERE e.id > $1 ORDER BY e.id LIMIT $2", 0,
      8192, ReadEventFact, [](const EventFact& f) { return f.event_id; }, fn));
}

Status SqlStore::ForEachDocumentFact(const std::function<void(const DocumentFact&)>& fn,
                                     std::int64_t after_id) {
  return Named(ForEachPage<DocumentFact>(
      conn_.get(), std::string(kDocumentFactSelect) + "WHERE id > $1 ORDER BY id LIMIT $2",
      after_id, 8192, ReadDocumentFact, [](const DocumentFact& f) { return f.document_id; }, fn));
}

Status SqlStore::ForIdChunks(const std::vector<std::int64_t>& ids, const std::string& prefix,
                             const std::string& suffix, const RowFn& fn) {
  for (size_t at = 0; at < ids.size(); at += kInListChunk) {
    const size_t n = std::min(kInListChunk, ids.size() - at);
    std::vector<Param> params(ids.begin() + at, ids.begin() + at + n);
    DYAD_RETURN_IF_ERROR(
        Named(conn_->Run(prefix + "(" + Placeholders(n) + ")" + suffix, params, fn)));
  }
  return Status::Ok();
}

Result<std::vector<EventFact>> SqlStore::GetEventFacts(const std::vector<std::int64_t>& ids) {
  std::vector<EventFact> out;
  DYAD_RETURN_IF_ERROR(ForIdChunks(ids, std::string(kEventFactSelect) + "WHERE e.id IN ", "",
                                   [&](const SqlRow& r) { out.push_back(ReadEventFact(r)); }));
  return out;
}

Result<std::vector<DocumentFact>> SqlStore::GetDocumentFacts(
    const std::vector<std::int64_t>& ids) {
  std::vector<DocumentFact> out;
  DYAD_RETURN_IF_ERROR(ForIdChunks(ids, std::string(kDocumentFactSelect) + "WHERE id IN ", "",
                                   [&](const SqlRow& r) { out.push_back(ReadDocumentFact(r)); }));
  return out;
}

Result<std::vector<EventRow>> SqlStore::GetEvents(const std::vector<std::int64_t>& ids) {
  std::vector<EventRow> rows;
  std::vector<size_t> missing;
  DYAD_RETURN_IF_ERROR(ForIdChunks(ids, std::string(kEventRowSelect) + "WHERE e.id IN ", "",
                                   [&](const SqlRow& r) {
                                     if (!ReadEventRow(r, &rows.emplace_back())) {
                                       missing.push_back(rows.size() - 1);
                                     }
                                   }));
  DYAD_RETURN_IF_ERROR(FillSentences(missing, &rows));
  // In the order asked.
  std::unordered_map<std::int64_t, size_t> at;
  for (size_t i = 0; i < rows.size(); ++i) at.emplace(rows[i].event_id, i);
  std::vector<EventRow> ordered;
  ordered.reserve(rows.size());
  for (std::int64_t id : ids) {
    auto it = at.find(id);
    if (it != at.end()) ordered.push_back(rows[it->second]);
  }
  return ordered;
}

Result<std::vector<std::int64_t>> SqlStore::EventIdsForSentences(
    const std::vector<std::pair<std::int64_t, std::uint32_t>>& sentences) {
  std::vector<std::int64_t> ids;
  for (const auto& [doc, idx] : sentences) {
    DYAD_RETURN_IF_ERROR(Named(conn_->Run(
        "SELECT id FROM events WHERE document_id = $1 AND sentence_idx = $2 ORDER BY id",
        {doc, std::int64_t{idx}}, [&](const SqlRow& r) { ids.push_back(r.Int(0)); })));
  }
  return ids;
}

Result<DocumentView> SqlStore::GetDocument(std::int64_t id) {
  DocumentView view;
  bool found = false;
  DYAD_RETURN_IF_ERROR(Named(conn_->Run(
      "SELECT id, content_hash, origin, format, external_id, title, url, source, date, "
      "date_origin, lang, encoding, text, coder_version, story_id FROM documents WHERE id = $1",
      {id}, [&](const SqlRow& r) {
        found = true;
        StoredDocument& d = view.document;
        d.id = r.Int(0);
        d.content_hash = r.Text(1);
        d.origin = r.Text(2);
        d.format = r.Text(3);
        d.external_id = r.Text(4);
        d.title = r.Text(5);
        d.url = r.Text(6);
        d.source = r.Text(7);
        d.date = r.Text(8);
        d.date_origin = r.Text(9);
        d.lang = r.Text(10);
        d.encoding = r.Text(11);
        d.text = r.Text(12);
        d.coder_version = r.Text(13);
        d.story_id = r.Int(14);
      })));
  if (!found) return NotFound("no document " + std::to_string(id));
  DYAD_RETURN_IF_ERROR(Named(conn_->Run(
      "SELECT idx, \"begin\", \"end\", text FROM sentences WHERE document_id = $1 ORDER BY idx",
      {id}, [&](const SqlRow& r) {
        view.sentences.push_back({static_cast<std::uint32_t>(r.Int(0)),
                                  static_cast<std::uint32_t>(r.Int(1)),
                                  static_cast<std::uint32_t>(r.Int(2))});
        view.sentence_texts.push_back(r.Text(3));
      })));
  return view;
}

Result<std::vector<std::int64_t>> SqlStore::StoryDocuments(std::int64_t story_id) {
  std::vector<std::int64_t> ids;
  DYAD_RETURN_IF_ERROR(Named(conn_->Run("SELECT id FROM documents WHERE story_id = $1 ORDER BY id",
                                        {story_id},
                                        [&](const SqlRow& r) { ids.push_back(r.Int(0)); })));
  return ids;
}

Result<std::vector<EventChange>> SqlStore::ChangesSince(std::int64_t since, int limit) {
  std::vector<EventChange> out;
  DYAD_RETURN_IF_ERROR(Named(conn_->Run(
      "SELECT seq, event_id, document_id, kind, at FROM event_changes WHERE seq > $1 "
      "ORDER BY seq LIMIT $2",
      {since, std::int64_t{limit > 0 ? limit : 1000}}, [&](const SqlRow& r) {
        out.push_back({r.Int(0), r.Int(1), r.Int(2), r.Text(3), r.Text(4)});
      })));
  return out;
}

Result<std::int64_t> SqlStore::LatestChange() {
  std::int64_t seq = 0;
  DYAD_RETURN_IF_ERROR(Named(conn_->Run("SELECT COALESCE(MAX(seq), 0) FROM event_changes", {},
                                        [&](const SqlRow& r) { seq = r.Int(0); })));
  return seq;
}

Result<RecodeItem> SqlStore::GetRecodeItem(std::int64_t document_id) {
  RecodeItem item;
  bool found = false;
  DYAD_RETURN_IF_ERROR(Named(conn_->Run(std::string(kRecodeItemSelect) + "WHERE id = $1",
                                        {document_id}, [&](const SqlRow& r) {
                                          found = true;
                                          item = ReadRecodeItem(r);
                                        })));
  if (!found) return NotFound("no document " + std::to_string(document_id));
  return item;
}

Status SqlStore::AddCorrection(CorrectionRecord* record) {
  auto body = [&]() -> Status {
    Result<std::int64_t> id = NextId("corrections");
    if (!id.ok()) return id.status();
    record->id = *id;
    record->at = NowIso();
    DYAD_RETURN_IF_ERROR(conn_->Run(
        "INSERT INTO corrections(id, at, holder, kind, payload, summary, events_altered, "
        "reverts) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        {record->id, Text(record->at), Text(record->holder), Text(record->kind),
         Text(record->payload), Text(record->summary), record->events_altered,
         OptionalId(record->reverts)}));
    if (record->reverts > 0) {
      DYAD_RETURN_IF_ERROR(conn_->Run("UPDATE corrections SET reverted_by = $1 WHERE id = $2",
                                      {record->id, record->reverts}));
    }
    return Status::Ok();
  };
  DYAD_RETURN_IF_ERROR(WriteTransaction(body));
  return Status::Ok();
}

Result<std::vector<CorrectionRecord>> SqlStore::ListCorrections(int limit) {
  std::vector<CorrectionRecord> out;
  DYAD_RETURN_IF_ERROR(Named(conn_->Run(std::string(kCorrectionSelect) +
                                            "ORDER BY id DESC LIMIT $1",
                                        {std::int64_t{limit > 0 ? limit : 1000}},
                                        [&](const SqlRow& r) { out.push_back(ReadCorrection(r)); })));
  return out;
}

Result<CorrectionRecord> SqlStore::GetCorrection(std::int64_t id) {
  std::optional<CorrectionRecord> c;
  DYAD_RETURN_IF_ERROR(Named(conn_->Run(std::string(kCorrectionSelect) + "WHERE id = $1", {id},
                                        [&](const SqlRow& r) { c = ReadCorrection(r); })));
  if (!c) return NotFound("no correction " + std::to_string(id));
  return *c;
}

// --- dyad watch ---

Result<std::vector<SourceState>> SqlStore::SourceStates() {
  std::vector<SourceState> out;
  DYAD_RETURN_IF_ERROR(Named(conn_->Run(
      "SELECT name, url, etag, last_modified, last_poll, last_success, next_poll, failures, "
      "items_fetched, errors, last_error FROM watch_sources ORDER BY name",
      {}, [&](const SqlRow& r) {
        SourceState s;
        s.name = r.Text(0);
        s.url = r.Text(1);
        s.etag = r.Text(2);
        s.last_modified = r.Text(3);
        s.last_poll = r.Text(4);
        s.last_success = r.Text(5);
        s.next_poll = r.Text(6);
        s.failures = r.Int(7);
        s.items_fetched = r.Int(8);
        s.errors = r.Int(9);
        s.last_error = r.Text(10);
        out.push_back(std::move(s));
      })));
  return out;
}

Status SqlStore::SaveSourceState(const SourceState& s) {
  return Named(conn_->Run(
      "INSERT INTO watch_sources(name, url, etag, last_modified, last_poll, last_success, "
      "next_poll, failures, items_fetched, errors, last_error) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (name) DO UPDATE SET "
      "url = excluded.url, etag = excluded.etag, last_modified = excluded.last_modified, "
      "last_poll = excluded.last_poll, last_success = excluded.last_success, "
      "next_poll = excluded.next_poll, failures = excluded.failures, "
      "items_fetched = excluded.items_fetched, errors = excluded.errors, "
      "last_error = excluded.last_error",
      {Text(s.name), Text(s.url), Text(s.etag), Text(s.last_modified), Text(s.last_poll),
       Text(s.last_success), Text(s.next_poll), s.failures, s.items_fetched, s.errors,
       Text(s.last_error)}));
}

Result<bool> SqlStore::HasDocumentUrl(const std::string& url) {
  bool found = false;
  if (url.empty()) return false;
  DYAD_RETURN_IF_ERROR(Named(conn_->Run("SELECT 1 FROM documents WHERE url = $1 LIMIT 1",
                                        {Text(url)}, [&](const SqlRow&) { found = true; })));
  return found;
}

Result<bool> SqlStore::AddAlert(AlertRecord* record) {
  bool added = false;
  auto body = [&]() -> Status {
    std::int64_t existing = 0;
    DYAD_RETURN_IF_ERROR(conn_->Run("SELECT id FROM alerts WHERE key = $1", {Text(record->key)},
                                    [&](const SqlRow& r) { existing = r.Int(0); }));
    if (existing > 0) {
      record->id = existing;
      return Status::Ok();
    }
    Result<std::int64_t> id = NextId("alerts");
    if (!id.ok()) return id.status();
    record->id = *id;
    if (record->fired_at.empty()) record->fired_at = NowIso();
    added = true;
    return conn_->Run(
        "INSERT INTO alerts(id, key, rule, fired_at, title, payload) VALUES ($1, $2, $3, $4, $5, $6)",
        {record->id, Text(record->key), Text(record->rule), Text(record->fired_at),
         Text(record->title), Text(record->payload)});
  };
  DYAD_RETURN_IF_ERROR(WriteTransaction(body));
  return added;
}

namespace {
constexpr const char* kAlertSelect = "SELECT id, key, rule, fired_at, title, payload FROM alerts ";
AlertRecord ReadAlert(const SqlRow& r) {
  return {r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5)};
}
}  // namespace

Result<std::vector<AlertRecord>> SqlStore::ListAlerts(int limit) {
  std::vector<AlertRecord> out;
  DYAD_RETURN_IF_ERROR(Named(conn_->Run(std::string(kAlertSelect) + "ORDER BY id DESC LIMIT $1",
                                        {std::int64_t{limit > 0 ? limit : 1000}},
                                        [&](const SqlRow& r) { out.push_back(ReadAlert(r)); })));
  return out;
}

Result<std::optional<AlertRecord>> SqlStore::FindAlert(const std::string& key) {
  std::optional<AlertRecord> out;
  DYAD_RETURN_IF_ERROR(Named(conn_->Run(std::string(kAlertSelect) + "WHERE key = $1", {Text(key)},
                                        [&](const SqlRow& r) { out = ReadAlert(r); })));
  return out;
}

Result<std::optional<AlertRecord>> SqlStore::GetAlert(std::int64_t id) {
  std::optional<AlertRecord> out;
  DYAD_RETURN_IF_ERROR(Named(conn_->Run(std::string(kAlertSelect) + "WHERE id = $1", {id},
                                        [&](const SqlRow& r) { out = ReadAlert(r); })));
  return out;
}

Status SqlStore::AddSavedRule(SavedRule* rule) {
  auto body = [&]() -> Status {
    bool taken = false;
    DYAD_RETURN_IF_ERROR(conn_->Run("SELECT 1 FROM watch_rules WHERE name = $1", {Text(rule->name)},
                                    [&](const SqlRow&) { taken = true; }));
    if (taken) return InvalidArgument("a saved rule named \"" + rule->name + "\" exists");
    Result<std::int64_t> id = NextId("watch_rules");
    if (!id.ok()) return id.status();
    rule->id = *id;
    rule->created_at = NowIso();
    return conn_->Run(
        "INSERT INTO watch_rules(id, name, spec, holder, created_at) VALUES ($1, $2, $3, $4, $5)",
        {rule->id, Text(rule->name), Text(rule->spec), Text(rule->holder), Text(rule->created_at)});
  };
  DYAD_RETURN_IF_ERROR(WriteTransaction(body));
  return Status::Ok();
}

Result<std::vector<SavedRule>> SqlStore::SavedRules() {
  std::vector<SavedRule> out;
  DYAD_RETURN_IF_ERROR(Named(conn_->Run(
      "SELECT id, name, spec, holder, created_at FROM watch_rules ORDER BY id", {},
      [&](const SqlRow& r) { out.push_back({r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4)}); })));
  return out;
}

Result<bool> SqlStore::DeleteSavedRule(std::int64_t id) {
  bool found = false;
  DYAD_RETURN_IF_ERROR(Named(conn_->Run("SELECT 1 FROM watch_rules WHERE id = $1", {id},
                                        [&](const SqlRow&) { found = true; })));
  if (!found) return false;
  DYAD_RETURN_IF_ERROR(Named(conn_->Run("DELETE FROM watch_rules WHERE id = $1", {id})));
  return true;
}

Status SqlStore::SaveNotification(const NotificationState& n) {
  return Named(conn_->Run(
      "INSERT INTO notifications(alert_id, notifier, state, attempts, last_error, next_attempt, "
      "sent_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (alert_id, notifier) DO UPDATE "
      "SET state = excluded.state, attempts = excluded.attempts, "
      "last_error = excluded.last_error, next_attempt = excluded.next_attempt, "
      "sent_at = excluded.sent_at",
      {n.alert_id, Text(n.notifier), Text(n.state), n.attempts, Text(n.last_error),
       Text(n.next_attempt), Text(n.sent_at)}));
}

Result<std::vector<NotificationState>> SqlStore::Notifications(const std::string& state,
                                                               int limit) {
  std::vector<NotificationState> out;
  auto read = [&](const SqlRow& r) {
    out.push_back({r.Int(0), r.Text(1), r.Text(2), r.Int(3), r.Text(4), r.Text(5), r.Text(6)});
  };
  const std::int64_t n = limit > 0 ? limit : 1000;
  const std::string select =
      "SELECT alert_id, notifier, state, attempts, last_error, next_attempt, sent_at "
      "FROM notifications ";
  if (state.empty()) {
    DYAD_RETURN_IF_ERROR(Named(conn_->Run(select + "ORDER BY alert_id, notifier LIMIT $1", {n}, read)));
  } else {
    DYAD_RETURN_IF_ERROR(Named(conn_->Run(
        select + "WHERE state = $1 ORDER BY alert_id, notifier LIMIT $2", {Text(state), n}, read)));
  }
  return out;
}

Status SqlStore::TEST_ExecScript(const std::string& sql) { return conn_->ExecScript(sql); }

Result<std::vector<std::vector<std::string>>> SqlStore::TEST_Query(const std::string& sql,
                                                                   int columns) {
  std::vector<std::vector<std::string>> rows;
  DYAD_RETURN_IF_ERROR(conn_->Run(sql, {}, [&](const SqlRow& r) {
    std::vector<std::string> row;
    for (int i = 0; i < columns; ++i) row.push_back(r.IsNull(i) ? "" : r.Text(i));
    rows.push_back(std::move(row));
  }));
  return rows;
}

}  // namespace dyad::store
