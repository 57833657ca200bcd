#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace scout {

// The OpenAPI 3 description of the service, as the routes in export_service.cc implement it.
nlohmann::ordered_json openapi_document(const std::string& api_prefix);

}  // namespace scout
