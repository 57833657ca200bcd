#include <pthread.h>

#include <csignal>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "cli/commands.h"
#include "cli/warehouse.h"
#include "cli/web_console_files.h"
#include "server/data_dir.h"
#include "server/export_service.h"

namespace scout::cli {
namespace {

struct ServeArgs {
  ServeFlags flags;
  bool print_config = false;
  bool print_settings_table = false;
};

// A setting's line in `serve --help`: its description, variable and default.
std::string help_for(const ServerSetting& setting) {
  std::string help = std::string(setting.description) + " [env " + setting.env;
  std::string fallback = default_text(setting);
  if (!fallback.empty()) help += ", default " + fallback;
  return help + "]";
}

int run(const ServeArgs& args) {
  if (args.print_settings_table) {
    std::printf("%s", settings_markdown_table().c_str());
    return 0;
  }
  auto resolved = resolve_server_config(args.flags, process_environment());
  if (!resolved.ok()) return fail("serve", resolved.status());
  ServerConfig& config = *resolved;
  if (args.print_config) {
    std::printf("%s\n", printable_server_config(config).c_str());
    return 0;
  }
  auto warning = prepare_data_dir(config.data_dir);
  if (!warning.ok()) return fail("serve", warning.status());
  if (!warning->empty()) std::fprintf(stderr, "%s\n", warning->c_str());
  if (config.warehouse.empty()) {
    Status created = ensure_embedded_warehouse(embedded_warehouse_path(config.data_dir));
    if (!created.ok()) return fail("serve", created);
  }
  // SIGINT and SIGTERM are taken by one thread with sigwait, never by a handler: stopping
  // joins threads and takes locks, which a signal handler may not do. Blocked before any
  // thread starts, so every thread inherits the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  auto service = ExportService::create(config, web_console_files());
  if (!service.ok()) return fail("serve", service.status());
  ExportService* serving = service->get();
  std::thread signal_waiter([serving, stop_signals] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    if (signal != 0) serving->stop();
  });
  std::thread announce([&] {
    for (int i = 0; i < 200 && !(*service)->listening(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    std::fprintf(stderr, "Scout Export listening on http://%s:%d (API also under %s)\n",
                 config.host.c_str(), (*service)->port(), config.api_prefix.c_str());
  });
  Status ran = (*service)->run();
  announce.join();
  // run() returns after a signal, or on its own (the port was taken): then wake the waiter.
  pthread_kill(signal_waiter.native_handle(), SIGTERM);
  signal_waiter.join();
  if (!ran.ok()) return fail("serve", ran);
  std::fprintf(stderr, "Scout Export stopped\n");
  return 0;
}

}  // namespace

void add_serve_command(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<ServeArgs>();
  auto* cmd = app.add_subcommand("serve", "Run the HTTP export service");
  for (const ServerSetting& setting : server_settings()) {
    std::string name = setting.name;
    cmd->add_option_function<std::string>(
           setting.flag,
           [args, name](const std::string& value) { args->flags.settings[name] = value; },
           help_for(setting))
        ->type_name(setting.is_text() ? "TEXT" : "INT");
  }
  cmd->add_option("--config", args->flags.config_file,
                  "Configuration file (default: <data-dir>/config.json if present)");
  cmd->add_flag("--print-config", args->print_config,
                "Print the effective settings as JSON, secrets hidden, and exit");
  cmd->add_flag("--print-settings-table", args->print_settings_table,
                "Print the settings as the README's Markdown table, and exit");
  cmd->callback([args, exit_code] { *exit_code = run(*args); });
}

}  // namespace scout::cli
