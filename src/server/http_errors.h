// The one place where a Status becomes an HTTP status and the API's error body:
// {"error": {"code": "invalid_dataset", "message": "Invalid dataset 'x'. Available datasets: ..."}}
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "scout/status.h"

namespace scout {

int http_status_for(const Status& status);
// `code` is the API's error code; empty derives it from the Status.
nlohmann::ordered_json error_body(const Status& status, const std::string& code = "");

}  // namespace scout
