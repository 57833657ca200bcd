#include "scout/status.h"

namespace scout {

const char* status_code_name(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kInvalidArgument: return "invalid_argument";
    case StatusCode::kInvalidDataset: return "invalid_dataset";
    case StatusCode::kNotFound: return "not_found";
    case StatusCode::kSchemaMismatch: return "schema_mismatch";
    case StatusCode::kPermissionDenied: return "permission_denied";
    case StatusCode::kUnauthenticated: return "unauthenticated";
    case StatusCode::kIOError: return "io_error";
    case StatusCode::kCorruption: return "corruption";
    case StatusCode::kCancelled: return "cancelled";
    case StatusCode::kResourceExhausted: return "resource_exhausted";
    case StatusCode::kUnavailable: return "unavailable";
    case StatusCode::kInternal: return "internal";
  }
  return "unknown";
}

std::optional<StatusCode> parse_status_code(std::string_view name) {
  for (auto code : {StatusCode::kOk, StatusCode::kInvalidArgument, StatusCode::kNotFound,
                    StatusCode::kSchemaMismatch, StatusCode::kPermissionDenied,
                    StatusCode::kUnauthenticated, StatusCode::kIOError, StatusCode::kCorruption,
                    StatusCode::kCancelled, StatusCode::kResourceExhausted, StatusCode::kUnavailable,
                    StatusCode::kInternal, StatusCode::kInvalidDataset}) {
    if (name == status_code_name(code)) return code;
  }
  return std::nullopt;
}

std::string Status::to_string() const {
  if (ok()) return "OK";
  return std::string(status_code_name(code_)) + ": " + message_;
}

}  // namespace scout
