#include "storage/sigv4_presigner.h"

#include <gtest/gtest.h>

namespace scout {
namespace {

// AWS's published example of a presigned GET ("Authenticating Requests: Using Query Parameters
// (AWS Signature Version 4)", Amazon S3 API Reference): bucket examplebucket, object test.txt,
// 24 May 2013 00:00:00 UTC, valid for 86400 seconds, the documentation's example keys.
AwsCredentials example_credentials() {
  AwsCredentials c;
  c.access_key_id = "AKIAIOSFODNN7EXAMPLE";
  c.secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  c.region = "us-east-1";
  return c;
}

PresignRequest example_request() {
  PresignRequest r;
  r.host = "examplebucket.s3.amazonaws.com";
  r.path = "/test.txt";
  r.now_unix = 1369353600;  // 2013-05-24T00:00:00Z
  r.expires_seconds = 86400;
  return r;
}

TEST(SigV4Presigner, MatchesAwsPublishedExample) {
  EXPECT_EQ(sigv4_timestamp(1369353600), "20130524T000000Z");
  auto url = presign_url(example_credentials(), example_request());
  ASSERT_TRUE(url.ok()) << url.status().to_string();
  EXPECT_EQ(*url,
            "https://examplebucket.s3.amazonaws.com/test.txt"
            "?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
            "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
}

TEST(SigV4Presigner, EncodesKeysAndCarriesSessionTokens) {
  AwsCredentials c = example_credentials();
  c.session_token = "token/with+chars=";
  PresignRequest r = example_request();
  r.scheme = "http";
  r.host = "127.0.0.1:9000";
  r.path = "/bucket/exports/id/region=NCR, Metro/part 0.parquet";
  auto url = presign_url(c, r);
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->rfind("http://127.0.0.1:9000/bucket/exports/id/region%3DNCR%2C%20Metro/part%200.parquet?", 0), 0u)
      << *url;
  // Sorted by name: the token comes after X-Amz-Expires and before X-Amz-SignedHeaders.
  EXPECT_NE(url->find("&X-Amz-Expires=86400&X-Amz-Security-Token=token%2Fwith%2Bchars%3D&X-Amz-SignedHeaders=host&"),
            std::string::npos)
      << *url;
  // Any change to what was signed changes the signature.
  r.path = "/bucket/exports/id/other.parquet";
  auto other = presign_url(c, r);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(url->substr(url->find("X-Amz-Signature=")), other->substr(other->find("X-Amz-Signature=")));
}

TEST(SigV4Presigner, RefusesWhatCannotBeSigned) {
  PresignRequest r = example_request();
  r.expires_seconds = 7 * 24 * 3600 + 1;
  EXPECT_EQ(presign_url(example_credentials(), r).status().code(), StatusCode::kInvalidArgument);
  r = example_request();
  r.host.clear();
  EXPECT_FALSE(presign_url(example_credentials(), r).ok());
  EXPECT_FALSE(presign_url(AwsCredentials{}, example_request()).ok());
}

}  // namespace
}  // namespace scout
