// A minimal SQL connection interface shared by the SQLite and PostgreSQL
// back ends, so that the store's logic (sql_store.cc) is written once and
// both back ends behave the same.
//
// Statements are written with PostgreSQL-style numbered parameters ($1, $2,
// ...); the SQLite connection rewrites them to ?1, ?2. Every statement is
// prepared on first use and cached for the connection's lifetime, keyed by
// its text. Nothing here throws.
#ifndef DYAD_STORE_SQL_H_
#define DYAD_STORE_SQL_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "dyad/status.h"

namespace dyad::store {

enum class Dialect { kSqlite, kPostgres };

// A bound parameter. Strings are views: they must stay valid until the
// Run() call that binds them returns.
struct Null {};
struct Blob {
  std::string_view bytes;
};
using Param = std::variant<Null, std::int64_t, double, std::string_view, Blob>;

// One result row; valid only inside the callback that receives it.
class SqlRow {
 public:
  virtual ~SqlRow() = default;
  virtual bool IsNull(int col) const = 0;
  virtual std::int64_t Int(int col) const = 0;
  virtual double Double(int col) const = 0;
  virtual std::string Text(int col) const = 0;
  virtual std::string Bytes(int col) const = 0;   // a BLOB / BYTEA column
};

using RowFn = std::function<void(const SqlRow&)>;

class SqlConnection {
 public:
  virtual ~SqlConnection() = default;
  virtual Dialect dialect() const = 0;

  // Runs several ';'-separated statements without parameters (migrations).
  virtual Status ExecScript(const std::string& sql) = 0;

  // Runs one statement with parameters, calling `fn` (if any) per row.
  // Inside a transaction (Begin) it joins it; otherwise it runs on its own.
  virtual Status Execute(const std::string& sql, const Param* params, size_t count,
                         const RowFn& fn) = 0;
  Status Run(const std::string& sql, std::initializer_list<Param> params,
             const RowFn& fn = nullptr) {
    return Execute(sql, params.begin(), params.size(), fn);
  }
  Status Run(const std::string& sql, const std::vector<Param>& params,
             const RowFn& fn = nullptr) {
    return Execute(sql, params.data(), params.size(), fn);
  }

  // Transactions. A write transaction takes the store's write lock first
  // (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock), so that ids
  // computed as max(id) + 1 inside it cannot collide with another writer.
  virtual Status Begin(bool write) = 0;
  virtual Status Commit() = 0;
  virtual void Rollback() = 0;   // never fails; a no-op without a transaction

  // Called once the schema version has been checked, before migrations:
  // session settings that may write (SQLite's journal_mode=WAL).
  virtual Status Configure() = 0;
};

}  // namespace dyad::store

#endif  // DYAD_STORE_SQL_H_
