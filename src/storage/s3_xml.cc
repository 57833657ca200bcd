#include "storage/s3_xml.h"

#include <pugixml.hpp>

namespace scout {
namespace {

// pugixml does not interpret namespaces: S3's default xmlns leaves the names as they are.
Result<pugi::xml_node> root_named(pugi::xml_document& doc, std::string_view xml, const char* name) {
  pugi::xml_parse_result parsed = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default);
  if (!parsed) {
    return Status::Corruption(std::string("S3 answered with malformed XML: ") + parsed.description());
  }
  pugi::xml_node root = doc.document_element();
  if (std::string_view(root.name()) == "Error") {
    return Status::IOError(std::string("S3 error ") + root.child_value("Code") + ": " +
                           root.child_value("Message"));
  }
  if (std::string_view(root.name()) != name) {
    return Status::Corruption(std::string("S3 answered <") + root.name() + "> where <" + name +
                              "> was expected");
  }
  return root;
}

bool is_true(const char* text) { return std::string_view(text) == "true"; }

}  // namespace

std::optional<S3ErrorBody> parse_s3_error(std::string_view xml) {
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size(), pugi::parse_default)) return std::nullopt;
  pugi::xml_node root = doc.document_element();
  if (std::string_view(root.name()) != "Error") return std::nullopt;
  return S3ErrorBody{root.child_value("Code"), root.child_value("Message")};
}

Result<std::string> parse_initiate_multipart_upload(std::string_view xml) {
  pugi::xml_document doc;
  SCOUT_ASSIGN_OR_RETURN(pugi::xml_node root, root_named(doc, xml, "InitiateMultipartUploadResult"));
  std::string upload_id = root.child_value("UploadId");
  if (upload_id.empty()) return Status::Corruption("S3 started a multipart upload without an UploadId");
  return upload_id;
}

Status parse_complete_multipart_upload(std::string_view xml) {
  pugi::xml_document doc;
  return root_named(doc, xml, "CompleteMultipartUploadResult").status();
}

Result<S3ObjectPage> parse_list_objects_v2(std::string_view xml) {
  pugi::xml_document doc;
  SCOUT_ASSIGN_OR_RETURN(pugi::xml_node root, root_named(doc, xml, "ListBucketResult"));
  S3ObjectPage page;
  for (pugi::xml_node item : root.children("Contents")) {
    std::string key = item.child_value("Key");
    if (key.empty()) return Status::Corruption("S3 listed an object without a Key");
    page.keys.push_back(std::move(key));
  }
  if (is_true(root.child_value("IsTruncated"))) {
    page.next_continuation_token = root.child_value("NextContinuationToken");
    if (page.next_continuation_token.empty()) {
      return Status::Corruption("S3 truncated a listing without a NextContinuationToken");
    }
  }
  return page;
}

Result<S3UploadPage> parse_list_multipart_uploads(std::string_view xml) {
  pugi::xml_document doc;
  SCOUT_ASSIGN_OR_RETURN(pugi::xml_node root, root_named(doc, xml, "ListMultipartUploadsResult"));
  S3UploadPage page;
  for (pugi::xml_node item : root.children("Upload")) {
    S3MultipartUpload upload{item.child_value("Key"), item.child_value("UploadId")};
    if (upload.key.empty() || upload.upload_id.empty()) {
      return Status::Corruption("S3 listed a multipart upload without a Key or UploadId");
    }
    page.uploads.push_back(std::move(upload));
  }
  page.truncated = is_true(root.child_value("IsTruncated"));
  if (page.truncated) {
    page.next_key_marker = root.child_value("NextKeyMarker");
    page.next_upload_id_marker = root.child_value("NextUploadIdMarker");
    if (page.next_key_marker.empty()) {
      return Status::Corruption("S3 truncated a listing of uploads without a NextKeyMarker");
    }
  }
  return page;
}

}  // namespace scout
