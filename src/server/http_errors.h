// The one place where a Status becomes an HTTP status and the API's error code; the body,
// {"error": {"code": "invalid_dataset", "message": "Invalid dataset 'x'. Available datasets: ..."}},
// is http_error_json's (http/http_server.h), which the server's own refusals use too.
#pragma once

#include <string>

#include "scout/status.h"

namespace scout {

int http_status_for(const Status& status);
// `code` when given, else the API's error code derived from the Status.
std::string error_code_for(const Status& status, const std::string& code = "");

}  // namespace scout
