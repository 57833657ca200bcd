// Signed download URLs: an HMAC-SHA256 over the stored object's key and its expiry, so a URL
// cannot be altered to reach another file or to live longer. Keys name objects inside the
// storage folder; they are made by the service, never taken from users.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/url_encoding.h"
#include "scout/status.h"

namespace scout {

class UrlSigner {
 public:
  explicit UrlSigner(std::string secret) : secret_(std::move(secret)) {}

  // The query string "expires=<unix seconds>&signature=<hex>" for `object_key`.
  std::string sign(std::string_view object_key, int64_t expires_at_unix) const;

  // Accepts only an untampered, unexpired signature; compares in constant time.
  // Errors say which: "signature does not match" or "link expired at ...".
  Status verify(std::string_view object_key, std::string_view expires, std::string_view signature,
                int64_t now_unix) const;

 private:
  std::string mac_hex(std::string_view object_key, int64_t expires_at_unix) const;
  std::string secret_;
};

// True when `key` is a safe relative object key: '/'-separated segments of [A-Za-z0-9._=%, -]
// (Hive partition values hold spaces and commas), none empty, "." or "..", no leading '/'.
// Anything else never reaches the file system.
bool is_safe_object_key(std::string_view key);

}  // namespace scout
