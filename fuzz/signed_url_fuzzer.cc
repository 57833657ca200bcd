// Signed download URLs: the input is "object key\nexpires\nsignature", the three fields a
// download request carries (the key still percent-encoded, as in the URL path). Checks that
// no input crashes the decoder or the verifier, that only the right signature verifies, and
// that every URL we sign verifies until it expires and not after.
#include <cstdint>
#include <string>

#include "fuzz_input.h"
#include "storage/signed_url.h"

namespace {

constexpr int64_t kNow = 1'750'000'000;  // 2025-06-15

// The "expires" and "signature" values of a query string made by UrlSigner::sign.
struct SignedQuery {
  std::string expires, signature;
};
SignedQuery parse_signed_query(const std::string& query) {
  const std::string kExpires = "expires=", kSignature = "&signature=";
  size_t sig = query.find(kSignature);
  if (query.rfind(kExpires, 0) != 0 || sig == std::string::npos) __builtin_trap();
  return {query.substr(kExpires.size(), sig - kExpires.size()), query.substr(sig + kSignature.size())};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using scout::UrlSigner;
  auto fields = scout::fuzz::split_fields(scout::fuzz::as_text(data, size), '\n', 3);
  std::string_view encoded_key = fields[0];
  std::string_view expires = fields.size() > 1 ? fields[1] : std::string_view();
  std::string_view signature = fields.size() > 2 ? fields[2] : std::string_view();

  const UrlSigner signer("fuzz-secret-0123456789abcdef");
  auto key = scout::url_decode(encoded_key);
  if (!key.ok()) return 0;
  bool safe = scout::is_safe_object_key(*key);

  // Encoding then decoding gives the key back, whatever bytes it holds.
  auto again = scout::url_decode(scout::url_encode_path(*key));
  if (!again.ok() || *again != *key) __builtin_trap();

  // Only the signature we would have made verifies.
  scout::Status verdict = signer.verify(*key, expires, signature, kNow);
  if (verdict.ok()) {
    SignedQuery expected = parse_signed_query(signer.sign(*key, std::stoll(std::string(expires))));
    if (expected.signature != signature) __builtin_trap();
  }
  if (!safe) return 0;

  // Round trip: what we sign verifies until it expires, and fails after, or for another key.
  const int64_t expires_at = kNow + static_cast<int64_t>(size);
  SignedQuery signed_query = parse_signed_query(signer.sign(*key, expires_at));
  if (!signer.verify(*key, signed_query.expires, signed_query.signature, kNow).ok()) __builtin_trap();
  if (!signer.verify(*key, signed_query.expires, signed_query.signature, expires_at).ok()) {
    __builtin_trap();
  }
  if (signer.verify(*key, signed_query.expires, signed_query.signature, expires_at + 1).ok()) {
    __builtin_trap();
  }
  if (signer.verify(*key + "x", signed_query.expires, signed_query.signature, kNow).ok()) {
    __builtin_trap();
  }
  if (UrlSigner("another secret").verify(*key, signed_query.expires, signed_query.signature, kNow).ok()) {
    __builtin_trap();
  }
  return 0;
}
