// The SQLite back end: one file, WAL journal, foreign keys on, synchronous
// NORMAL (a killed process loses nothing committed; a power cut may lose the
// last commits, never consistency), a busy timeout for concurrent readers
// and writers, and every statement prepared once and cached.
#include <sqlite3.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <unordered_map>

#include "store/sql_store.h"

namespace dyad::store {
namespace {

constexpr int kBusyTimeoutMs = 10000;

// "$12" -> "?12": SQLite's numbered parameters. Our SQL has no '$' in
// string literals, so a plain scan is enough.
std::string ToSqliteParams(const std::string& sql) {
  std::string out;
  out.reserve(sql.size());
  for (size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] == '$' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
      out += '?';
    } else {
      out += sql[i];
    }
  }
  return out;
}

class SqliteRow : public SqlRow {
 public:
  explicit SqliteRow(sqlite3_stmt* stmt) : stmt_(stmt) {}
  bool IsNull(int col) const override { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::int64_t Int(int col) const override { return sqlite3_column_int64(stmt_, col); }
  double Double(int col) const override { return sqlite3_column_double(stmt_, col); }
  std::string Text(int col) const override {
    const unsigned char* p = sqlite3_column_text(stmt_, col);
    if (p == nullptr) return {};
    return std::string(reinterpret_cast<const char*>(p),
                       static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
  }
  std::string Bytes(int col) const override {
    const void* p = sqlite3_column_blob(stmt_, col);
    if (p == nullptr) return {};
    return std::string(static_cast<const char*>(p),
                       static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
  }

 private:
  sqlite3_stmt* stmt_;
};

class SqliteConnection : public SqlConnection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    Rollback();
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

  Status ExecScript(const std::string& sql) override {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errmsg(db_);
      sqlite3_free(err);
      return Error(msg);
    }
    return Status::Ok();
  }

  Status Execute(const std::string& sql, const Param* params, size_t count,
                 const RowFn& fn) override {
    sqlite3_stmt* stmt = nullptr;
    if (auto it = cache_.find(sql); it != cache_.end()) {
      stmt = it->second;
    } else {
      const std::string text = ToSqliteParams(sql);
      if (sqlite3_prepare_v3(db_, text.c_str(), static_cast<int>(text.size()),
                             SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
        return Error(sqlite3_errmsg(db_), sql);
      }
      cache_.emplace(sql, stmt);
    }
    for (size_t i = 0; i < count; ++i) {
      const int index = static_cast<int>(i) + 1;
      const Param& p = params[i];
      int rc = SQLITE_OK;
      if (std::holds_alternative<Null>(p)) {
        rc = sqlite3_bind_null(stmt, index);
      } else if (const auto* v = std::get_if<std::int64_t>(&p)) {
        rc = sqlite3_bind_int64(stmt, index, *v);
      } else if (const auto* d = std::get_if<double>(&p)) {
        rc = sqlite3_bind_double(stmt, index, *d);
      } else if (const auto* b = std::get_if<Blob>(&p)) {
        // A zero-length blob, not NULL, when the view is empty.
        rc = sqlite3_bind_blob64(stmt, index, b->bytes.empty() ? "" : b->bytes.data(),
                                 b->bytes.size(), SQLITE_STATIC);
      } else {
        const auto& s = std::get<std::string_view>(p);
        // SQLITE_STATIC: the caller keeps the bytes alive until we return.
        rc = sqlite3_bind_text64(stmt, index, s.data(), s.size(), SQLITE_STATIC, SQLITE_UTF8);
      }
      if (rc != SQLITE_OK) {
        Status s = Error(sqlite3_errmsg(db_), sql);
        sqlite3_clear_bindings(stmt);
        return s;
      }
    }
    Status result;
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_ROW) {
        if (fn) fn(SqliteRow(stmt));
        continue;
      }
      if (rc != SQLITE_DONE) result = Error(sqlite3_errmsg(db_), sql);
      break;
    }
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return result;
  }

  Status Begin(bool write) override {
    return ExecScript(write ? "BEGIN IMMEDIATE" : "BEGIN");
  }
  Status Commit() override {
    return ExecScript("COMMIT");
  }
  void Rollback() override {
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }

  Status Configure() override {
    return ExecScript(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; "
        "PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 10000;");
  }

 private:
  Status Error(const std::string& message, const std::string& sql = {}) const {
    const int code = sqlite3_extended_errcode(db_);
    std::string msg = "SQLite: " + message;
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
      msg += " (another process holds the store's write lock for too long)";
    }
    if (!sql.empty()) msg += " [in: " + sql.substr(0, 80) + (sql.size() > 80 ? "...]" : "]");
    return IoError(msg);
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace

Result<std::unique_ptr<SqlStore>> OpenSqlite(const std::string& path,
                                             const OpenOptions& options) {
  if (path.empty()) return InvalidArgument("empty SQLite store path");
  const bool memory = path == ":memory:";
  if (!memory) {
    std::error_code ec;
    const std::filesystem::path p(path);
    const std::filesystem::path dir = p.has_parent_path() ? p.parent_path() : ".";
    if (!std::filesystem::is_directory(dir, ec)) {
      return NotFound("cannot create store " + path + ": directory " + dir.string() +
                      " does not exist");
    }
    if (std::filesystem::is_directory(p, ec)) {
      return InvalidArgument(path + " is a directory, not a dyad store");
    }
    // Refuse anything that is not a SQLite file before SQLite opens it.
    if (std::filesystem::exists(p, ec) && std::filesystem::file_size(p, ec) > 0) {
      char header[16] = {};
      std::ifstream in(p, std::ios::binary);
      in.read(header, sizeof header);
      if (!in || std::memcmp(header, "SQLite format 3\0", 16) != 0) {
        return InvalidArgument(path + " is not a dyad store (not a SQLite database); it was "
                               "not changed");
      }
    }
  }
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return IoError("cannot open store " + path + ": " + msg);
  }
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  sqlite3_extended_result_codes(db, 1);
  auto conn = std::make_unique<SqliteConnection>(db);
  return SqlStore::Create(std::move(conn), path, options);
}

}  // namespace dyad::store
