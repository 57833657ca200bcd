#include "storage/signed_url.h"

#include <openssl/crypto.h>

#include <charconv>

#include "common/hex.h"
#include "storage/digest.h"

namespace scout {

std::string UrlSigner::mac_hex(std::string_view object_key, int64_t expires_at_unix) const {
  // The message binds both parts with a separator that cannot occur in a safe key.
  std::string message = std::string(object_key) + "\n" + std::to_string(expires_at_unix);
  std::string mac = hmac_sha256(secret_, message);
  return to_hex(mac.data(), mac.size());
}

std::string UrlSigner::sign(std::string_view object_key, int64_t expires_at_unix) const {
  return "expires=" + std::to_string(expires_at_unix) +
         "&signature=" + mac_hex(object_key, expires_at_unix);
}

Status UrlSigner::verify(std::string_view object_key, std::string_view expires,
                         std::string_view signature, int64_t now_unix) const {
  int64_t expires_at = 0;
  auto r = std::from_chars(expires.data(), expires.data() + expires.size(), expires_at);
  if (expires.empty() || r.ec != std::errc() || r.ptr != expires.data() + expires.size()) {
    return Status(StatusCode::kPermissionDenied, "signed URL has no valid 'expires'");
  }
  std::string expected = mac_hex(object_key, expires_at);
  if (signature.size() != expected.size() ||
      CRYPTO_memcmp(signature.data(), expected.data(), expected.size()) != 0) {
    return Status(StatusCode::kPermissionDenied, "signed URL signature does not match");
  }
  if (now_unix > expires_at) {
    return Status(StatusCode::kPermissionDenied,
                  "signed URL expired " + std::to_string(now_unix - expires_at) + " s ago");
  }
  return Status::OK();
}

bool is_safe_object_key(std::string_view key) {
  if (key.empty() || key.size() > 1024) return false;
  size_t start = 0;
  while (start <= key.size()) {
    size_t slash = key.find('/', start);
    if (slash == std::string_view::npos) slash = key.size();
    std::string_view seg = key.substr(start, slash - start);
    if (seg.empty() || seg == "." || seg == "..") return false;
    for (char ch : seg) {
      bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                ch == '.' || ch == '_' || ch == '=' || ch == '%' || ch == '-' || ch == ' ' ||
                ch == ',';
      if (!ok) return false;
    }
    start = slash + 1;
  }
  return true;
}

}  // namespace scout
