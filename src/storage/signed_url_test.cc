#include "storage/signed_url.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace scout {
namespace {

constexpr int64_t kNow = 1'780'000'000;

// Splits "expires=E&signature=S" as the download handler receives it.
struct Query {
  std::string expires, signature;
};
Query parse(const std::string& query) {
  const std::string e = "expires=", s = "&signature=";
  size_t amp = query.find(s);
  EXPECT_EQ(query.rfind(e, 0), 0u) << query;
  EXPECT_NE(amp, std::string::npos) << query;
  return {query.substr(e.size(), amp - e.size()), query.substr(amp + s.size())};
}

TEST(UrlSigner, AcceptsItsOwnSignatureUntilItExpires) {
  UrlSigner signer("secret-1");
  Query q = parse(signer.sign("exports/job_1/data.parquet", kNow + 60));
  EXPECT_EQ(q.expires, std::to_string(kNow + 60));
  EXPECT_EQ(q.signature.size(), 64u);  // hex HMAC-SHA256
  EXPECT_TRUE(signer.verify("exports/job_1/data.parquet", q.expires, q.signature, kNow).ok());
  EXPECT_TRUE(signer.verify("exports/job_1/data.parquet", q.expires, q.signature, kNow + 60).ok());

  Status late = signer.verify("exports/job_1/data.parquet", q.expires, q.signature, kNow + 61);
  EXPECT_EQ(late.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(late.message().find("expired 1 s ago"), std::string::npos) << late.message();
}

TEST(UrlSigner, RefusesEveryAlteredPart) {
  UrlSigner signer("secret-1");
  Query q = parse(signer.sign("exports/job_1/data.parquet", kNow + 60));
  auto refused = [&](std::string_view key, std::string_view expires, std::string_view signature) {
    Status st = signer.verify(key, expires, signature, kNow);
    EXPECT_EQ(st.code(), StatusCode::kPermissionDenied) << key << " " << expires << " " << signature;
    return st.message();
  };
  // Another file, a longer life, one changed hex digit, a cut signature, another secret.
  EXPECT_NE(refused("exports/job_2/data.parquet", q.expires, q.signature).find("does not match"),
            std::string::npos);
  refused("exports/job_1/data.parquet", std::to_string(kNow + 6000), q.signature);
  std::string flipped = q.signature;
  flipped[10] = flipped[10] == 'a' ? 'b' : 'a';
  refused("exports/job_1/data.parquet", q.expires, flipped);
  refused("exports/job_1/data.parquet", q.expires, q.signature.substr(0, 63));
  refused("exports/job_1/data.parquet", q.expires, "");
  Query other = parse(UrlSigner("secret-2").sign("exports/job_1/data.parquet", kNow + 60));
  refused("exports/job_1/data.parquet", other.expires, other.signature);
}

TEST(UrlSigner, RefusesMalformedExpiry) {
  UrlSigner signer("secret-1");
  Query q = parse(signer.sign("a.parquet", kNow + 60));
  for (const std::string& bad : std::vector<std::string>{"", "12a", "-", " 1", "1e9", "99999999999999999999999"}) {
    Status st = signer.verify("a.parquet", bad, q.signature, kNow);
    EXPECT_EQ(st.code(), StatusCode::kPermissionDenied) << "'" << bad << "'";
    EXPECT_NE(st.message().find("no valid 'expires'"), std::string::npos) << st.message();
  }
}

TEST(ObjectKey, OnlyRelativeSegmentsOfSafeCharacters) {
  for (const std::string& ok : std::vector<std::string>{"a.parquet", "exports/job_1/transaction_date=2025-01-01/part-0.parquet",
                         "x/region=Region I - Ilocos Region/part-0.csv.gz", "a/b%2Fc", "a,b"}) {
    EXPECT_TRUE(is_safe_object_key(ok)) << ok;
  }
  for (const std::string& bad : std::vector<std::string>{"", "/etc/passwd", "../secret", "a/../b", "a/./b", "a//b", "a/", "./a",
                          "a\\b", "a\nb", std::string("a\0b", 3), "a/b?c", "~/x", "a:b"}) {
    EXPECT_FALSE(is_safe_object_key(bad)) << bad;
  }
  EXPECT_TRUE(is_safe_object_key(std::string(1024, 'a')));
  EXPECT_FALSE(is_safe_object_key(std::string(1025, 'a')));
}

TEST(ObjectKey, UrlEncodingRoundTrips) {
  const std::string key = "x/region=Region I - Ilocos Region/Niño, 100%.csv";
  std::string encoded = url_encode_path(key);
  EXPECT_EQ(encoded.find(' '), std::string::npos);
  EXPECT_NE(encoded.find("x/region%3DRegion%20I%20-%20Ilocos%20Region/"), std::string::npos) << encoded;
  auto decoded = url_decode(encoded);
  ASSERT_TRUE(decoded.ok()) << decoded.status().to_string();
  EXPECT_EQ(*decoded, key);
  EXPECT_FALSE(url_decode("a%2").ok());
  EXPECT_FALSE(url_decode("a%zz").ok());
  EXPECT_FALSE(url_decode("a%-1").ok());  // not byte 0xFF
  EXPECT_FALSE(url_decode("a%+1").ok());
}

}  // namespace
}  // namespace scout
