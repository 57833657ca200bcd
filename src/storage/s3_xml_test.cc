#include "storage/s3_xml.h"

#include <gtest/gtest.h>

namespace scout {
namespace {

TEST(S3XmlTest, ReadsTheUploadIdOfAnInitiatedUpload) {
  auto id = parse_initiate_multipart_upload(
      R"(<?xml version="1.0" encoding="UTF-8"?>
<InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>b</Bucket><Key>k</Key><UploadId>abc-123</UploadId></InitiateMultipartUploadResult>)");
  ASSERT_TRUE(id.ok()) << id.status().message();
  EXPECT_EQ(*id, "abc-123");
}

TEST(S3XmlTest, AnErrorDocumentIsAnErrorNamingItsCode) {
  const char* xml = "<Error><Code>NoSuchUpload</Code><Message>gone</Message></Error>";
  auto id = parse_initiate_multipart_upload(xml);
  ASSERT_FALSE(id.ok());
  EXPECT_NE(id.status().message().find("NoSuchUpload: gone"), std::string::npos);
  auto error = parse_s3_error(xml);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code, "NoSuchUpload");
  // CompleteMultipartUpload may answer 200 and then an error in the body.
  EXPECT_FALSE(parse_complete_multipart_upload(xml).ok());
  EXPECT_TRUE(parse_complete_multipart_upload("<CompleteMultipartUploadResult><ETag>\"x\"</ETag></CompleteMultipartUploadResult>").ok());
}

TEST(S3XmlTest, MalformedOrUnexpectedDocumentsAreRefused) {
  EXPECT_EQ(parse_initiate_multipart_upload("<Initiate").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(parse_initiate_multipart_upload("").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(parse_initiate_multipart_upload("<InitiateMultipartUploadResult/>").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(parse_list_objects_v2("<ListMultipartUploadsResult/>").status().code(), StatusCode::kCorruption);
  EXPECT_FALSE(parse_s3_error("<Other/>").has_value());
  EXPECT_FALSE(parse_s3_error("not xml").has_value());
}

TEST(S3XmlTest, ListsKeysAndTheTokenOfATruncatedListing) {
  auto page = parse_list_objects_v2(
      "<ListBucketResult><IsTruncated>true</IsTruncated><NextContinuationToken>t1</NextContinuationToken>"
      "<Contents><Key>p/a=1/x.parquet</Key></Contents><Contents><Key>p/manifest.json</Key></Contents></ListBucketResult>");
  ASSERT_TRUE(page.ok()) << page.status().message();
  EXPECT_EQ(page->keys, (std::vector<std::string>{"p/a=1/x.parquet", "p/manifest.json"}));
  EXPECT_EQ(page->next_continuation_token, "t1");
  // Truncated without a token would loop forever: refused.
  EXPECT_FALSE(parse_list_objects_v2("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>").ok());
  EXPECT_FALSE(parse_list_objects_v2("<ListBucketResult><Contents><Key></Key></Contents></ListBucketResult>").ok());
  auto last = parse_list_objects_v2("<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>");
  ASSERT_TRUE(last.ok());
  EXPECT_TRUE(last->keys.empty());
  EXPECT_TRUE(last->next_continuation_token.empty());
}

TEST(S3XmlTest, ListsIncompleteUploadsAndTheMarkersOfATruncatedListing) {
  auto page = parse_list_multipart_uploads(
      "<ListMultipartUploadsResult><IsTruncated>true</IsTruncated><NextKeyMarker>k2</NextKeyMarker>"
      "<NextUploadIdMarker>u2</NextUploadIdMarker><Upload><Key>k1</Key><UploadId>u1</UploadId></Upload>"
      "<Upload><Key>k2</Key><UploadId>u2</UploadId></Upload></ListMultipartUploadsResult>");
  ASSERT_TRUE(page.ok()) << page.status().message();
  ASSERT_EQ(page->uploads.size(), 2u);
  EXPECT_EQ(page->uploads[1].key, "k2");
  EXPECT_EQ(page->uploads[1].upload_id, "u2");
  EXPECT_TRUE(page->truncated);
  EXPECT_EQ(page->next_key_marker, "k2");
  EXPECT_EQ(page->next_upload_id_marker, "u2");
  EXPECT_FALSE(parse_list_multipart_uploads(
                   "<ListMultipartUploadsResult><Upload><Key>k1</Key></Upload></ListMultipartUploadsResult>")
                   .ok());
  EXPECT_FALSE(parse_list_multipart_uploads(
                   "<ListMultipartUploadsResult><IsTruncated>true</IsTruncated></ListMultipartUploadsResult>")
                   .ok());
}

}  // namespace
}  // namespace scout
