#include "storage/export_store.h"

#include "storage/local_folder_store.h"
#include "storage/s3_store.h"

namespace scout {

bool is_s3_location(std::string_view location) { return location.starts_with("s3://"); }

Result<std::unique_ptr<ExportStore>> open_export_store(const std::string& location,
                                                       FolderDownloadUrl folder_download_url,
                                                       int64_t url_ttl_seconds) {
  if (!is_s3_location(location)) return open_local_folder_store(location, std::move(folder_download_url));
  SCOUT_ASSIGN_OR_RETURN(S3Location where, parse_s3_location(location));
  SCOUT_ASSIGN_OR_RETURN(S3ClientConfig config, s3_client_config_from_environment(where.bucket));
  return open_s3_store(std::move(config), where.prefix, url_ttl_seconds);
}

}  // namespace scout
