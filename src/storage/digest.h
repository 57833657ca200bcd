// SHA-256 and HMAC-SHA256 (OpenSSL), as the signers of this layer use them.
#pragma once

#include <string>
#include <string_view>

namespace scout {

// The 32-byte digests, raw.
std::string sha256(std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);

}  // namespace scout
