#include "server/http_errors.h"

namespace scout {

int http_status_for(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument:
    case StatusCode::kInvalidDataset: return 400;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kSchemaMismatch: return 422;
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kUnauthenticated: return 401;
    case StatusCode::kCancelled: return 409;
    case StatusCode::kResourceExhausted: return 429;
    case StatusCode::kUnavailable: return 503;
    case StatusCode::kIOError:
    case StatusCode::kCorruption:
    case StatusCode::kInternal: return 500;
  }
  return 500;
}

std::string error_code_for(const Status& status, const std::string& code) {
  if (!code.empty()) return code;
  if (status.code() == StatusCode::kSchemaMismatch) return "schema_validation_failed";
  if (status.code() == StatusCode::kResourceExhausted) return "too_many_exports";
  return status_code_name(status.code());
}

}  // namespace scout
