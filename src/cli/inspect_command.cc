#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"

namespace scout::cli {

void add_inspect_command(CLI::App& app, int* exit_code) {
  auto* cmd = app.add_subcommand("inspect", "Print a Parquet file's schema, row groups and metadata");
  struct Args {
    std::string path;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("file", args->path, "Parquet file")->required();
  cmd->add_flag("--json", args->json, "Print JSON");
  cmd->callback([args, exit_code] {
    std::fprintf(stderr, "inspect: not implemented yet\n");
    *exit_code = 2;
  });
}

}  // namespace scout::cli
