// CSV (RFC 4180) and JSON writers over column batches.
#pragma once

#include <memory>

#include "export/format_writer.h"

namespace scout {

// RFC 4180: a header row, CRLF line ends, fields quoted when they hold a comma, quote, CR or
// LF (quotes doubled). NULL is an empty field; an empty string is "" so the two stay apart.
// Dates and timestamps in ISO 8601 (timestamps UTC with 'Z'), decimals exact, binary base64.
// `threads` (0: all cores) format a batch's rows in slices side by side; the bytes are the same
// whatever the count.
std::unique_ptr<FormatWriter> make_csv_writer(const Schema& schema, std::unique_ptr<OutputStream> out,
                                              int threads = 1);

// One object per line (newline-delimited JSON) or, with `as_array`, one JSON array. int64 and
// decimals are written as exact JSON numbers; NaN and infinities, which JSON has no number
// for, as the strings "NaN", "Infinity", "-Infinity" (as Spark writes them).
std::unique_ptr<FormatWriter> make_json_writer(const Schema& schema, std::unique_ptr<OutputStream> out,
                                               bool as_array, int threads = 1);

}  // namespace scout
