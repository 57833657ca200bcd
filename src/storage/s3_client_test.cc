#include "storage/s3_client.h"

#include <gtest/gtest.h>
#include <stdlib.h>

namespace scout {
namespace {

TEST(S3LocationTest, ParsesBucketAndPrefix) {
  auto l = parse_s3_location("s3://scout-platinum/exports/daily/");
  ASSERT_TRUE(l.ok()) << l.status().message();
  EXPECT_EQ(l->bucket, "scout-platinum");
  EXPECT_EQ(l->prefix, "exports/daily");
  auto bare = parse_s3_location("s3://scout-platinum");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->prefix, "");
}

TEST(S3LocationTest, RefusesBadBucketsAndPrefixesNamingTheRule) {
  for (const char* bad : {"s3://", "s3://ab", "s3://Scout_Platinum/x", "s3://-bucket", "http://bucket/x"}) {
    auto l = parse_s3_location(bad);
    EXPECT_EQ(l.status().code(), StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_NE(parse_s3_location("s3://Bad/x").status().message().find("3-63 characters"), std::string::npos);
  for (const char* bad : {"s3://bucket/../x", "s3://bucket/a//b", "s3://bucket/a/./b", "s3://bucket/a?b"}) {
    auto l = parse_s3_location(bad);
    EXPECT_EQ(l.status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

class S3EnvironmentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_ENDPOINT_URL"}) {
      ::unsetenv(name);
    }
  }
};

TEST_F(S3EnvironmentTest, NeedsCredentials) {
  auto c = s3_client_config_from_environment("b-1");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"), std::string::npos);
}

TEST_F(S3EnvironmentTest, AwsByDefaultVirtualHostedInUsEast1) {
  ::setenv("AWS_ACCESS_KEY_ID", "AK", 1);
  ::setenv("AWS_SECRET_ACCESS_KEY", "SK", 1);
  auto c = s3_client_config_from_environment("scout-platinum");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->credentials.region, "us-east-1");
  EXPECT_EQ(c->endpoint.scheme, "https");
  EXPECT_EQ(c->endpoint.host, "scout-platinum.s3.us-east-1.amazonaws.com");
  EXPECT_FALSE(c->endpoint.path_style);
}

TEST_F(S3EnvironmentTest, AnEndpointMeansPathStyle) {
  ::setenv("AWS_ACCESS_KEY_ID", "AK", 1);
  ::setenv("AWS_SECRET_ACCESS_KEY", "SK", 1);
  ::setenv("AWS_REGION", "eu-central-1", 1);
  ::setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9000/", 1);
  auto c = s3_client_config_from_environment("scout-platinum");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->credentials.region, "eu-central-1");
  EXPECT_EQ(c->endpoint.scheme, "http");
  EXPECT_EQ(c->endpoint.host, "127.0.0.1:9000");
  EXPECT_TRUE(c->endpoint.path_style);
  // The presigned GET is path-style on the endpoint, the key encoded ('=' as %3D), one hour.
  S3Client client(*c);
  auto url = client.presigned_get_url("exports/id/region=NCR/part-00000.parquet", 1'780'000'000, 3600);
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->rfind("http://127.0.0.1:9000/scout-platinum/exports/id/region%3DNCR/part-00000.parquet?", 0), 0u) << *url;
  EXPECT_NE(url->find("X-Amz-Expires=3600"), std::string::npos);
  EXPECT_NE(url->find("X-Amz-Credential=AK%2F20260528%2Feu-central-1%2Fs3%2Faws4_request"), std::string::npos) << *url;
  // Supabase Storage answers S3 under a path.
  ::setenv("AWS_ENDPOINT_URL", "https://project.supabase.co/storage/v1/s3", 1);
  auto supabase = s3_client_config_from_environment("scout-platinum");
  ASSERT_TRUE(supabase.ok()) << supabase.status().message();
  EXPECT_EQ(supabase->endpoint.host, "project.supabase.co");
  auto link = S3Client(*supabase).presigned_get_url("e/x.csv", 1'780'000'000, 3600);
  ASSERT_TRUE(link.ok());
  EXPECT_EQ(link->rfind("https://project.supabase.co/storage/v1/s3/scout-platinum/e/x.csv?", 0), 0u) << *link;
  for (const char* bad : {"127.0.0.1:9000", "ftp://host", "http://", "http://host/a/../b", "http://user@host", "http://host?x"}) {
    ::setenv("AWS_ENDPOINT_URL", bad, 1);
    EXPECT_EQ(s3_client_config_from_environment("b-1").status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace scout
