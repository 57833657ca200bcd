#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/warehouse.h"
#include "demo/demo_generator.h"
#include "demo/postgres_demo_sink.h"
#include "demo/sqlite_demo_sink.h"

namespace scout::cli {
namespace {

struct DemoArgs {
  std::string warehouse;
  double scale = 1.0;
  uint64_t seed = 42;
  std::string until;
};

int run(const DemoArgs& args) {
  DemoOptions options;
  options.scale = args.scale;
  options.seed = args.seed;
  if (!args.until.empty()) {
    auto day = parse_date(args.until);
    if (!day) return fail("demo", Status::Invalid("--until '" + args.until + "' is not a date YYYY-MM-DD"));
    options.last_day = *day;
  }
  std::string url = args.warehouse.empty() ? default_warehouse_url() : args.warehouse;
  Result<std::unique_ptr<DemoSink>> sink = Status::Internal("no sink");
  if (url.rfind("sqlite:", 0) == 0) {
    sink = make_sqlite_demo_sink(url.substr(7));
  } else if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    sink = make_postgres_demo_sink(url);
  } else {
    return fail("demo", Status::Invalid("unknown warehouse '" + url + "'; use sqlite:PATH or postgresql://..."));
  }
  if (!sink.ok()) return fail("demo", sink.status());
  std::fprintf(stderr, "Generating the demo warehouse (seed %llu, scale %g) into %s\n",
               static_cast<unsigned long long>(args.seed), args.scale, url.c_str());
  const bool tty = ::isatty(STDERR_FILENO) == 1;
  auto summary = generate_demo(Catalog::builtin(), options, sink->get(),
                               [tty](const std::string& table, int64_t rows) {
                                 if (tty && rows % (8192 * 16) == 0) {
                                   std::fprintf(stderr, "\r  %-20s %10lld rows", table.c_str(),
                                                static_cast<long long>(rows));
                                 }
                               });
  if (tty) std::fprintf(stderr, "\r\033[2K");
  if (!summary.ok()) return fail("demo", summary.status());
  int64_t total = 0;
  for (const auto& [table, rows] : summary->rows_per_table) {
    std::printf("  %-20s %10lld rows\n", table.c_str(), static_cast<long long>(rows));
    total += rows;
  }
  std::printf("Demo warehouse ready: %lld rows in %.1f s (%s)\n", static_cast<long long>(total),
              summary->seconds, url.c_str());
  return 0;
}

}  // namespace

void add_demo_command(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<DemoArgs>();
  auto* cmd = app.add_subcommand("demo", "Create or refresh the deterministic demo warehouse");
  cmd->add_option("--warehouse", args->warehouse, "sqlite:PATH or postgresql://... (default: the embedded one)");
  cmd->add_option("--scale", args->scale, "1.0 is about 500 stores (daily_transactions: ~500 rows a day)");
  cmd->add_option("--seed", args->seed, "Seed of the generator (default 42)");
  cmd->add_option("--until", args->until, "Last day of data, YYYY-MM-DD (default: yesterday, UTC)");
  cmd->callback([args, exit_code] { *exit_code = run(*args); });
}

}  // namespace scout::cli
