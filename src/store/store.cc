// Store::Open: picks the back end from the URL.
//   "postgresql://..." or "postgres://..."   PostgreSQL (a libpq URI)
//   "sqlite:PATH", "sqlite://PATH"           SQLite
//   anything else without "://"             a SQLite file path
#include <string>

#include "store/sql_store.h"

namespace dyad::store {
namespace {

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

std::string MaskPassword(const std::string& url) {
  std::string out = url;
  // userinfo: scheme://user:password@host
  if (size_t scheme = out.find("://"); scheme != std::string::npos) {
    const size_t start = scheme + 3;
    const size_t end = out.find_first_of("/?", start);
    const size_t at = out.rfind('@', end == std::string::npos ? out.size() : end);
    if (at != std::string::npos && at >= start) {
      const size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // query parameter: ?password=... or &password=...
  for (size_t pos = out.find("password="); pos != std::string::npos;
       pos = out.find("password=", pos + 1)) {
    if (pos > 0 && out[pos - 1] != '?' && out[pos - 1] != '&' && out[pos - 1] != ' ') continue;
    const size_t value = pos + 9;
    const size_t end = out.find_first_of("& ", value);
    out.replace(value, (end == std::string::npos ? out.size() : end) - value, "***");
  }
  return out;
}

Result<std::unique_ptr<SqlStore>> OpenSqlStore(const std::string& url,
                                               const OpenOptions& options) {
  if (StartsWith(url, "postgresql://") || StartsWith(url, "postgres://")) {
    return OpenPostgres(url, options);
  }
  std::string path = url;
  if (StartsWith(url, "sqlite:")) {
    path = url.substr(7);
    if (StartsWith(path, "//")) path = path.substr(2);   // sqlite:///abs/path
  } else if (url.find("://") != std::string::npos) {
    return InvalidArgument("unknown store URL \"" + MaskPassword(url) +
                           "\": use a file path, sqlite:PATH or postgresql://...");
  }
  return OpenSqlite(path, options);
}

}  // namespace dyad::store

namespace dyad {

Result<std::unique_ptr<Store>> Store::Open(const std::string& url) {
  Result<std::unique_ptr<store::SqlStore>> s = store::OpenSqlStore(url, {});
  if (!s.ok()) return s.status();
  return std::unique_ptr<Store>(std::move(s.value()));
}

}  // namespace dyad
