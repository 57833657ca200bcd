#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/warehouse.h"
#include "export/api_json.h"
#include "core/catalog.h"

namespace scout::cli {

void add_datasets_command(CLI::App& app, int* exit_code) {
  struct Args {
    bool json = false;
    std::string catalog;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("datasets", "List the datasets and their schemas");
  cmd->add_flag("--json", args->json, "Print JSON, as GET /datasets answers");
  cmd->add_option("--catalog", args->catalog, "Dataset catalog file (default: the built-in one)");
  cmd->callback([args, exit_code] {
    auto catalog = load_catalog(args->catalog);
    if (!catalog.ok()) {
      *exit_code = fail("datasets", catalog.status());
      return;
    }
    if (args->json) {
      std::printf("%s\n", datasets_json(dataset_infos(*catalog)).dump(2).c_str());
      return;
    }
    for (const DatasetSpec& d : catalog->datasets()) {
      std::printf("%s (%s, %s) — %s\n  partition column: %s, date column: %s\n", d.name.c_str(),
                  d.layer.c_str(), d.table.c_str(), d.description.c_str(), d.partition_column.c_str(),
                  d.date_column.c_str());
      for (const Field& f : d.schema.fields) {
        if (f.nullable) {
          std::printf("    %-26s %s\n", f.name.c_str(), f.type.name().c_str());
        } else {
          std::printf("    %-26s %-14s NOT NULL\n", f.name.c_str(), f.type.name().c_str());
        }
      }
    }
  });
}

}  // namespace scout::cli
