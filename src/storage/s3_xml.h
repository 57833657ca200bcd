// S3's XML answers, read with pugixml. Every byte comes from the network: a malformed or
// unexpected document is an error naming what was missing, never a crash.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scout/status.h"

namespace scout {

// <Error><Code>NoSuchBucket</Code><Message>...</Message></Error>, as S3 answers a refusal (and
// as CompleteMultipartUpload may answer with status 200).
struct S3ErrorBody {
  std::string code;
  std::string message;
};
std::optional<S3ErrorBody> parse_s3_error(std::string_view xml);

// InitiateMultipartUploadResult's UploadId.
Result<std::string> parse_initiate_multipart_upload(std::string_view xml);

// CompleteMultipartUploadResult: OK, or the error it carries.
Status parse_complete_multipart_upload(std::string_view xml);

// ListObjectsV2 (ListBucketResult): one page of keys.
struct S3ObjectPage {
  std::vector<std::string> keys;
  std::string next_continuation_token;  // set when the listing is truncated
};
Result<S3ObjectPage> parse_list_objects_v2(std::string_view xml);

// ListMultipartUploadsResult: one page of incomplete uploads.
struct S3MultipartUpload {
  std::string key;
  std::string upload_id;
};
struct S3UploadPage {
  std::vector<S3MultipartUpload> uploads;
  bool truncated = false;
  std::string next_key_marker;
  std::string next_upload_id_marker;
};
Result<S3UploadPage> parse_list_multipart_uploads(std::string_view xml);

}  // namespace scout
