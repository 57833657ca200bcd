// GET /exports: the caller's exports, newest first, a page at a time. The query is read here
// (limit and cursor, both from the network); the cursor is opaque to clients: hex of the last
// listed export's position, so a page stays stable when exports are added or deleted between
// two calls.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "scout/status.h"
#include "server/job_manager.h"

namespace scout {

inline constexpr int kDefaultExportPageSize = 20;
inline constexpr int kMaxExportPageSize = 100;

struct ExportPageQuery {
  int limit = kDefaultExportPageSize;
  std::optional<JobListPosition> after;  // the previous page's last export
};

// `limit` and `cursor` as the query string gave them ("" when absent). A limit outside
// 1..kMaxExportPageSize or a cursor this service did not make is InvalidArgument, naming it.
Result<ExportPageQuery> parse_export_page_query(std::string_view limit, std::string_view cursor);

// The cursor that continues a listing after `last`.
std::string export_cursor(const JobListPosition& last);

}  // namespace scout
