// Reads the JSON body of POST /export and POST /estimate into an ExportRequest, strictly:
// wrong types and unknown fields are refused with a message naming the field.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "export/export_request.h"

namespace scout {

struct ExportBody {
  ExportRequest request;
  bool async = false;
};

Result<ExportBody> parse_export_body(const std::string& body);

}  // namespace scout
