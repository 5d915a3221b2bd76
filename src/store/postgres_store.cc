// The PostgreSQL back end (libpqxx 6). Statements are prepared on the
// server on first use and reused; a write transaction first takes a
// transaction-scoped advisory lock named after the schema, so writers to one
// store take turns (ids are max(id) + 1, see sql_store.h). Every libpqxx
// exception is caught here and becomes a Status.
#include <charconv>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include <pqxx/pqxx>

#include "store/sql_store.h"

namespace dyad::store {
namespace {

class PgRow : public SqlRow {
 public:
  explicit PgRow(const pqxx::row& row) : row_(row) {}
  bool IsNull(int col) const override { return row_[col].is_null(); }
  std::int64_t Int(int col) const override {
    if (row_[col].is_null()) return 0;
    const char* s = row_[col].c_str();
    if (s[0] == 't' || s[0] == 'f') return s[0] == 't';   // booleans
    std::int64_t v = 0;
    std::from_chars(s, s + std::strlen(s), v);
    return v;
  }
  double Double(int col) const override {
    return row_[col].is_null() ? 0 : row_[col].as<double>();
  }
  std::string Text(int col) const override {
    return row_[col].is_null() ? std::string() : std::string(row_[col].c_str(), row_[col].size());
  }
  // BYTEA arrives in text form as "\x" and two hex digits per byte.
  std::string Bytes(int col) const override {
    std::string out;
    if (row_[col].is_null()) return out;
    const char* s = row_[col].c_str();
    const size_t n = row_[col].size();
    if (n < 2 || s[0] != '\\' || s[1] != 'x') return out;
    auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
    out.reserve((n - 2) / 2);
    for (size_t i = 2; i + 1 < n; i += 2) {
      out += static_cast<char>(nibble(s[i]) << 4 | nibble(s[i + 1]));
    }
    return out;
  }

 private:
  const pqxx::row& row_;
};

std::string Describe(const std::exception& e) {
  std::string msg = e.what();
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) {
    if (!sql->sqlstate().empty()) msg += " (SQLSTATE " + sql->sqlstate() + ")";
  }
  return "PostgreSQL: " + msg;
}

class PgConnection : public SqlConnection {
 public:
  explicit PgConnection(std::unique_ptr<pqxx::connection> conn) : conn_(std::move(conn)) {}
  ~PgConnection() override { Rollback(); }

  Dialect dialect() const override { return Dialect::kPostgres; }

  Status ExecScript(const std::string& sql) override {
    try {
      if (txn_) {
        txn_->exec(sql);
      } else {
        pqxx::work w(*conn_);
        w.exec(sql);
        w.commit();
      }
      return Status::Ok();
    } catch (const std::exception& e) {
      return Failed(e);
    }
  }

  Status Execute(const std::string& sql, const Param* params, size_t count,
                 const RowFn& fn) override {
    // libpq takes text parameters; NULL is a null pointer.
    std::vector<std::string> storage(count);
    std::vector<const char*> values(count, nullptr);
    for (size_t i = 0; i < count; ++i) {
      const Param& p = params[i];
      if (std::holds_alternative<Null>(p)) continue;
      if (const auto* v = std::get_if<std::int64_t>(&p)) {
        storage[i] = std::to_string(*v);
      } else if (const auto* d = std::get_if<double>(&p)) {
        char buf[64];
        auto r = std::to_chars(buf, buf + sizeof buf, *d);
        storage[i].assign(buf, r.ptr);
      } else if (const auto* b = std::get_if<Blob>(&p)) {
        static constexpr char kHex[] = "0123456789abcdef";
        storage[i].reserve(2 + 2 * b->bytes.size());
        storage[i] = "\\x";
        for (unsigned char c : b->bytes) {
          storage[i] += kHex[c >> 4];
          storage[i] += kHex[c & 15];
        }
      } else {
        const auto& s = std::get<std::string_view>(p);
        if (s.find('\0') != std::string_view::npos) {
          return InvalidArgument("PostgreSQL cannot store text with a NUL byte");
        }
        storage[i].assign(s);
      }
      values[i] = storage[i].c_str();
    }
    try {
      const std::string& name = Prepare(sql);
      pqxx::result result;
      if (txn_) {
        result = txn_->exec_prepared(name, pqxx::prepare::make_dynamic_params(values));
      } else {
        pqxx::work w(*conn_);
        result = w.exec_prepared(name, pqxx::prepare::make_dynamic_params(values));
        w.commit();
      }
      if (fn) {
        for (const pqxx::row& row : result) fn(PgRow(row));
      }
      return Status::Ok();
    } catch (const std::exception& e) {
      return Failed(e, sql);
    }
  }

  Status Begin(bool write) override {
    try {
      txn_ = std::make_unique<pqxx::work>(*conn_);
      if (write) txn_->exec("SELECT pg_advisory_xact_lock(hashtext('dyad:' || current_schema()))");
      return Status::Ok();
    } catch (const std::exception& e) {
      return Failed(e);
    }
  }
  Status Commit() override {
    if (!txn_) return Status(StatusCode::kInternal, "commit without a transaction");
    try {
      txn_->commit();
      txn_.reset();
      return Status::Ok();
    } catch (const std::exception& e) {
      txn_.reset();
      return Failed(e);
    }
  }
  void Rollback() override {
    if (!txn_) return;
    try {
      txn_->abort();
    } catch (const std::exception&) {
      // The connection is gone; there is nothing left to roll back.
    }
    txn_.reset();
  }
  Status Configure() override { return Status::Ok(); }

 private:
  const std::string& Prepare(const std::string& sql) {
    auto it = prepared_.find(sql);
    if (it == prepared_.end()) {
      std::string name = "dyad" + std::to_string(prepared_.size() + 1);
      conn_->prepare(name, sql);
      it = prepared_.emplace(sql, std::move(name)).first;
    }
    return it->second;
  }

  Status Failed(const std::exception& e, const std::string& sql = {}) {
    std::string msg = Describe(e);
    if (!sql.empty()) msg += " [in: " + sql.substr(0, 80) + (sql.size() > 80 ? "...]" : "]");
    if (dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr) {
      msg += " (connection lost)";
    }
    return IoError(msg);
  }

  std::unique_ptr<pqxx::connection> conn_;
  std::unique_ptr<pqxx::work> txn_;
  std::unordered_map<std::string, std::string> prepared_;   // SQL -> statement name
};

Result<std::unique_ptr<pqxx::connection>> Connect(const std::string& url) {
  try {
    auto conn = std::make_unique<pqxx::connection>(url);
    // Notices ("query contains no lexemes") are not the caller's business.
    pqxx::nontransaction(*conn).exec("SET client_min_messages TO warning; SET bytea_output TO hex");
    return conn;
  } catch (const std::exception& e) {
    return IoError("cannot connect to " + MaskPassword(url) + ": " + Describe(e));
  }
}

}  // namespace

Result<std::unique_ptr<SqlStore>> OpenPostgres(const std::string& url,
                                               const OpenOptions& options) {
  Result<std::unique_ptr<pqxx::connection>> conn = Connect(url);
  if (!conn.ok()) return conn.status();
  return SqlStore::Create(std::make_unique<PgConnection>(std::move(conn.value())),
                          MaskPassword(url), options);
}

Status PostgresExecForTest(const std::string& url, const std::string& sql) {
  Result<std::unique_ptr<pqxx::connection>> conn = Connect(url);
  if (!conn.ok()) return conn.status();
  try {
    pqxx::nontransaction(**conn).exec(sql);
    return Status::Ok();
  } catch (const std::exception& e) {
    return IoError(Describe(e));
  }
}

}  // namespace dyad::store
