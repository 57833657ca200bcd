#include "server/export_listing.h"

#include <charconv>

#include "common/hex.h"

namespace scout {
namespace {

constexpr char kCursorSeparator = ',';

int hex_digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// What a job's creation time looks like: "2025-03-31T10:00:00.000Z".
bool looks_like_created_at(std::string_view text) {
  static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd.dddZ";
  if (text.size() != kShape.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    bool digit = text[i] >= '0' && text[i] <= '9';
    if (kShape[i] == 'd' ? !digit : text[i] != kShape[i]) return false;
  }
  return true;
}

// What a job id looks like: a UUID's lower-case hex digits and dashes.
bool looks_like_job_id(std::string_view text) {
  if (text.empty() || text.size() > 64) return false;
  for (char c : text) {
    if (c != '-' && hex_digit_value(c) < 0) return false;
  }
  return true;
}

Result<JobListPosition> parse_cursor(std::string_view cursor) {
  Status refused = Status::Invalid(
      "cursor is not one this service gave; pass the next_cursor of the previous page as it is, "
      "or leave it out for the first page");
  if (cursor.size() % 2 != 0 || cursor.size() > 256) return refused;
  std::string text;
  for (size_t i = 0; i < cursor.size(); i += 2) {
    int high = hex_digit_value(cursor[i]), low = hex_digit_value(cursor[i + 1]);
    if (high < 0 || low < 0) return refused;
    text.push_back(static_cast<char>(high * 16 + low));
  }
  size_t comma = text.find(kCursorSeparator);
  if (comma == std::string::npos) return refused;
  JobListPosition position{text.substr(0, comma), text.substr(comma + 1)};
  if (!looks_like_created_at(position.created_at) || !looks_like_job_id(position.id)) return refused;
  return position;
}

}  // namespace

Result<ExportPageQuery> parse_export_page_query(std::string_view limit, std::string_view cursor) {
  ExportPageQuery query;
  if (!limit.empty()) {
    int value = 0;
    auto [end, error] = std::from_chars(limit.data(), limit.data() + limit.size(), value);
    if (error != std::errc() || end != limit.data() + limit.size() || value < 1 ||
        value > kMaxExportPageSize) {
      return Status::Invalid("limit must be a whole number from 1 to " +
                             std::to_string(kMaxExportPageSize) + ", got '" +
                             printable(limit.substr(0, 32)) + "'");
    }
    query.limit = value;
  }
  if (!cursor.empty()) {
    SCOUT_ASSIGN_OR_RETURN(query.after, parse_cursor(cursor));
  }
  return query;
}

std::string export_cursor(const JobListPosition& last) {
  std::string text = last.created_at + kCursorSeparator + last.id;
  return to_hex(text.data(), text.size());
}

}  // namespace scout
