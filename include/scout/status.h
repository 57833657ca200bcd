// Status and Result<T>: the one way every fallible call in Scout Export reports failure.
// No exception crosses a library boundary; a Status names the object and the reason.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace scout {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,   // the caller asked for something that cannot be (bad option, bad value)
  kNotFound,          // a named thing does not exist (dataset, column, file)
  kSchemaMismatch,    // the source's data does not match the catalog's schema
  kPermissionDenied,  // the caller may not see this
  kUnauthenticated,   // no or a bad credential
  kIOError,           // the file system or the network failed
  kCorruption,        // a file we read is not what it claims to be
  kCancelled,         // the caller stopped the work
  kResourceExhausted, // a limit was reached (queue full, size cap)
  kUnavailable,       // a dependency (database) went away
  kInternal,          // a bug: an invariant did not hold
  kInvalidDataset,    // the caller named a dataset the catalog does not hold
};

const char* status_code_name(StatusCode code);
// The code status_code_name names `name`; nullopt for any other text.
std::optional<StatusCode> parse_status_code(std::string_view name);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status OK() { return Status(); }
  static Status Invalid(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status SchemaMismatch(std::string m) { return {StatusCode::kSchemaMismatch, std::move(m)}; }
  static Status IOError(std::string m) { return {StatusCode::kIOError, std::move(m)}; }
  static Status Corruption(std::string m) { return {StatusCode::kCorruption, std::move(m)}; }
  static Status Cancelled(std::string m) { return {StatusCode::kCancelled, std::move(m)}; }
  static Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  std::string to_string() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : state_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(state_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(state_);
  }
  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace scout

#define SCOUT_CONCAT_INNER(a, b) a##b
#define SCOUT_CONCAT(a, b) SCOUT_CONCAT_INNER(a, b)

// Returns the Status from the enclosing function when `expr` failed.
#define SCOUT_RETURN_IF_ERROR(expr)            \
  do {                                         \
    ::scout::Status _scout_status = (expr);    \
    if (!_scout_status.ok()) return _scout_status; \
  } while (0)

#define SCOUT_ASSIGN_OR_RETURN_IMPL(result, lhs, rexpr) \
  auto result = (rexpr);                                \
  if (!result.ok()) return result.status();             \
  lhs = std::move(result).value()

// `SCOUT_ASSIGN_OR_RETURN(auto x, f());` binds f()'s value or returns its Status.
#define SCOUT_ASSIGN_OR_RETURN(lhs, rexpr) \
  SCOUT_ASSIGN_OR_RETURN_IMPL(SCOUT_CONCAT(_scout_result_, __LINE__), lhs, rexpr)
