#include "cli/warehouse.h"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "demo/demo_generator.h"
#include "demo/sqlite_demo_sink.h"
#include "core/warehouse_url.h"
#include "server/data_dir.h"

namespace scout::cli {

Result<Catalog> load_catalog(const std::string& path) {
  if (path.empty()) return Catalog::builtin();
  return Catalog::load(path);
}

Status ensure_embedded_warehouse(const std::string& path) {
  if (std::filesystem::exists(path)) return Status::OK();
  std::string folder = std::filesystem::path(path).parent_path().string();
  if (!folder.empty()) SCOUT_RETURN_IF_ERROR(create_private_dir(folder));
  std::fprintf(stderr, "Creating the embedded demo warehouse at %s (first use)...\n", path.c_str());
  SCOUT_ASSIGN_OR_RETURN(auto sink, make_sqlite_demo_sink(path));
  return generate_demo(Catalog::builtin(), DemoOptions{}, sink.get()).status();
}

Result<std::unique_ptr<Source>> open_warehouse(const std::string& url) {
  if (url.empty()) {
    SCOUT_RETURN_IF_ERROR(ensure_embedded_warehouse(default_warehouse_path()));
    return open_source(default_warehouse_url());
  }
  return open_source(url);
}

void keep_created_files_private() { ::umask(077); }

int fail(const char* command, const Status& status) {
  std::fprintf(stderr, "%s: %s\n", command, status.message().c_str());
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kInvalidDataset:
    case StatusCode::kNotFound: return 2;
    default: return 1;
  }
}

}  // namespace scout::cli
