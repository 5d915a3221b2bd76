// Errors as values: every fallible call returns a Status or a Result<T>.
//
//   dyad::Result<Dictionary> d = LoadDictionary(path);
//   if (!d.ok()) { std::cerr << d.status().ToString(); return 1; }
//
// A Status names where the problem is (file and line, or record) so that a
// user can fix bad input. No exception crosses a public dyad header.
#ifndef DYAD_STATUS_H_
#define DYAD_STATUS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace dyad {

enum class StatusCode : std::uint8_t {
  kOk = 0,
  kInvalidArgument,  // bad user input: malformed line, bad date, bad UTF-8
  kNotFound,         // missing file or directory
  kIoError,          // a read or write failed
  kCorruption,       // input is structurally broken (truncated XML, ...)
  kInternal,         // a broken invariant; a bug in dyad
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message, std::string where = {})
      : code_(code), message_(std::move(message)), where_(std::move(where)) {}

  static Status Ok() { return {}; }
  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "file:line" or "record N"; empty when the error has no location.
  const std::string& where() const { return where_; }

  // "where: message", the form printed by front ends.
  std::string ToString() const {
    if (ok()) return "OK";
    return where_.empty() ? message_ : where_ + ": " + message_;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string where_;
};

inline Status InvalidArgument(std::string msg, std::string where = {}) {
  return {StatusCode::kInvalidArgument, std::move(msg), std::move(where)};
}
inline Status NotFound(std::string msg, std::string where = {}) {
  return {StatusCode::kNotFound, std::move(msg), std::move(where)};
}
inline Status IoError(std::string msg, std::string where = {}) {
  return {StatusCode::kIoError, std::move(msg), std::move(where)};
}
inline Status Corruption(std::string msg, std::string where = {}) {
  return {StatusCode::kCorruption, std::move(msg), std::move(where)};
}

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

#define DYAD_RETURN_IF_ERROR(expr)         \
  do {                                     \
    ::dyad::Status dyad_status_ = (expr);  \
    if (!dyad_status_.ok()) return dyad_status_; \
  } while (0)

}  // namespace dyad

#endif  // DYAD_STATUS_H_
