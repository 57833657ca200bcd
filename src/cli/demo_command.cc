#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/warehouse.h"
#include "demo/demo_generator.h"
#include "demo/postgres_demo_sink.h"
#include "demo/sqlite_demo_sink.h"
#include "core/warehouse_url.h"
#include "server/data_dir.h"
#include "source/pg_connection.h"

namespace scout::cli {
namespace {

struct DemoArgs {
  std::string warehouse;
  double scale = 1.0;
  uint64_t seed = 42;
  std::string until;
};

Result<std::unique_ptr<DemoSink>> open_sink(const WarehouseUrl& url) {
  if (url.kind == WarehouseUrl::Kind::kSqlite) return make_sqlite_demo_sink(url.sqlite_path);
  return make_postgres_demo_sink(url.url);
}

// On a terminal, one line that counts up; otherwise a line per finished table.
DemoProgress progress_printer() {
  const bool tty = ::isatty(STDERR_FILENO) == 1;
  return [tty](const std::string& table, int64_t rows, bool done) {
    if (tty) {
      std::fprintf(stderr, "\r\033[2K  %-20s %12lld rows%s", table.c_str(), static_cast<long long>(rows),
                   done ? "\n" : "");
    } else if (done) {
      std::fprintf(stderr, "  %-20s %12lld rows\n", table.c_str(), static_cast<long long>(rows));
    }
  };
}

int run(const DemoArgs& args) {
  DemoOptions options;
  options.scale = args.scale;
  options.seed = args.seed;
  if (!args.until.empty()) {
    auto day = parse_date(args.until);
    if (!day) return fail("demo", Status::Invalid("--until '" + args.until + "' is not a date YYYY-MM-DD"));
    options.last_day = *day;
  }
  if (Status st = check_demo_options(options); !st.ok()) return fail("demo", st);
  auto url = parse_warehouse_url(args.warehouse.empty() ? default_warehouse_url() : args.warehouse);
  if (!url.ok()) return fail("demo", url.status());
  if (args.warehouse.empty()) {
    if (Status st = create_private_dir(default_data_dir()); !st.ok()) return fail("demo", st);
  }
  const std::string shown = redact_url(url->url);
  auto sink = open_sink(*url);
  if (!sink.ok()) return fail("demo", sink.status());
  const int32_t last = options.last_day >= 0 ? options.last_day : yesterday_utc();
  std::fprintf(stderr, "Generating the demo warehouse into %s: seed %llu, scale %g, %s through %s\n",
               shown.c_str(), static_cast<unsigned long long>(options.seed), options.scale,
               format_date(options.first_day).c_str(), format_date(last).c_str());
  auto summary = generate_demo(Catalog::builtin(), options, sink->get(), progress_printer());
  if (!summary.ok()) return fail("demo", summary.status());
  for (const auto& [table, rows] : summary->rows_per_table) {
    std::printf("%-20s %12lld rows\n", table.c_str(), static_cast<long long>(rows));
  }
  std::printf("Demo warehouse ready: %lld rows in %.1f s (%.0f rows/s) at %s\n",
              static_cast<long long>(summary->total_rows), summary->seconds,
              summary->seconds > 0 ? static_cast<double>(summary->total_rows) / summary->seconds : 0.0,
              shown.c_str());
  return 0;
}

}  // namespace

void add_demo_command(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<DemoArgs>();
  auto* cmd = app.add_subcommand("demo", "Create or refresh the deterministic demo warehouse");
  cmd->add_option("--warehouse", args->warehouse,
                  "sqlite:PATH or postgresql://... (default: sqlite:$SCOUT_DATA_DIR/warehouse.db, "
                  "else sqlite:scout-data/warehouse.db)");
  cmd->add_option("--scale", args->scale, "Stores / 500: 1.0 gives ~500 daily_transactions rows a day (default 1)");
  cmd->add_option("--seed", args->seed, "Seed of the generator (default 42)");
  cmd->add_option("--until", args->until, "Last day of data, YYYY-MM-DD (default: yesterday, UTC)");
  cmd->callback([args, exit_code] { *exit_code = run(*args); });
}

}  // namespace scout::cli
