#include "server/http_errors.h"

namespace scout {

int http_status_for(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument: return 400;
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

nlohmann::ordered_json error_body(const Status& status, const std::string& code) {
  std::string c = code;
  if (c.empty()) {
    const std::string& m = status.message();
    if (m.rfind("Invalid dataset", 0) == 0) {
      c = "invalid_dataset";
    } else if (status.code() == StatusCode::kSchemaMismatch) {
      c = "schema_validation_failed";
    } else if (status.code() == StatusCode::kResourceExhausted) {
      c = "too_many_exports";
    } else {
      c = status_code_name(status.code());
    }
  }
  return {{"error", {{"code", c}, {"message", status.message()}}}};
}

}  // namespace scout
