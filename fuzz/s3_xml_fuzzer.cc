// S3's XML answers: the input is one response body, as a store (or anything posing as one)
// sends it. Every parser of storage/s3_xml.h reads it; none may crash, and what they accept
// must hold what the caller relies on (an upload id, keys, markers of a truncated listing).
#include <cstdint>

#include "fuzz_input.h"
#include "storage/s3_xml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view xml = scout::fuzz::as_text(data, size);
  (void)scout::parse_s3_error(xml);
  (void)scout::parse_complete_multipart_upload(xml);
  auto upload_id = scout::parse_initiate_multipart_upload(xml);
  if (upload_id.ok() && upload_id->empty()) __builtin_trap();
  auto objects = scout::parse_list_objects_v2(xml);
  if (objects.ok()) {
    for (const auto& key : objects->keys) {
      if (key.empty()) __builtin_trap();
    }
  }
  auto uploads = scout::parse_list_multipart_uploads(xml);
  if (uploads.ok()) {
    for (const auto& u : uploads->uploads) {
      if (u.key.empty() || u.upload_id.empty()) __builtin_trap();
    }
    if (uploads->truncated && uploads->next_key_marker.empty()) __builtin_trap();
  }
  return 0;
}
