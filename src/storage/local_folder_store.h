// The local folder implementation of the storage seam (export_store.h): today's behaviour.
#pragma once

#include <memory>
#include <string>

#include "storage/export_store.h"

namespace scout {

std::unique_ptr<ExportStore> open_local_folder_store(std::string root, FolderDownloadUrl download_url);

}  // namespace scout
