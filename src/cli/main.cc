#include <cstdio>

#include "cli/commands.h"
#include "cli/warehouse.h"
#include "scout/version.h"

int main(int argc, char** argv) {
  CLI::App app{"Scout Export: warehouse tables to Parquet, CSV and JSON"};
  app.set_version_flag("--version", "scout-export " SCOUT_VERSION);
  app.require_subcommand(1);
  int exit_code = 0;
  // Exports, job records, keys and the demo warehouse are private data, whichever command
  // writes them.
  scout::cli::keep_created_files_private();
  scout::cli::add_export_command(app, &exit_code);
  scout::cli::add_datasets_command(app, &exit_code);
  scout::cli::add_demo_command(app, &exit_code);
  scout::cli::add_inspect_command(app, &exit_code);
  scout::cli::add_serve_command(app, &exit_code);
  scout::cli::add_keys_command(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return exit_code;
}
