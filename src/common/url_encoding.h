// Percent-encoding of URL paths and query values (RFC 3986), shared by the HTTP layer and
// signed URLs so that what one encodes the other decodes.
#pragma once

#include <string>
#include <string_view>

#include "scout/status.h"

namespace scout {

// Percent-encodes a key for a URL path (keeps '/' and unreserved characters).
std::string url_encode_path(std::string_view key);
// Percent-encodes a query parameter's name or value: only unreserved characters are kept
// ('/' becomes %2F), upper-case hex, as AWS's SigV4 canonical form requires too.
std::string url_encode_component(std::string_view value);
// Decodes %XX escapes; fails on a malformed escape. With `plus_is_space` (query strings of
// HTML forms), '+' decodes to ' '.
Result<std::string> url_decode(std::string_view text, bool plus_is_space = false);

}  // namespace scout
