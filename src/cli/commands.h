// Each subcommand of `scout-export` registers itself on the app; main() only dispatches.
#pragma once

#include <CLI/CLI.hpp>

namespace scout::cli {

// Every add_*_command sets `*exit_code` from its callback (0 on success).
void add_inspect_command(CLI::App& app, int* exit_code);
void add_export_command(CLI::App& app, int* exit_code);
void add_datasets_command(CLI::App& app, int* exit_code);
void add_demo_command(CLI::App& app, int* exit_code);
void add_serve_command(CLI::App& app, int* exit_code);
void add_keys_command(CLI::App& app, int* exit_code);

}  // namespace scout::cli
