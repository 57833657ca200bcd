// The S3 implementation of the storage seam (export_store.h).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "storage/export_store.h"
#include "storage/s3_client.h"

namespace scout {

// Parts of a multipart upload: S3 takes 5 MiB or more but the last; one part is buffered.
inline constexpr size_t kS3PartBytes = 8 * 1024 * 1024;

std::unique_ptr<ExportStore> open_s3_store(S3ClientConfig config, std::string prefix,
                                           int64_t url_ttl_seconds = 3600);

}  // namespace scout
