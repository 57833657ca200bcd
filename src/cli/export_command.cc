#include <unistd.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/progress_bar.h"
#include "cli/warehouse.h"
#include "common/compression_levels.h"
#include "export/api_json.h"
#include "export/export_job.h"
#include "storage/export_store.h"

namespace scout::cli {
namespace {

struct ExportArgs {
  std::string dataset;
  std::string format = "parquet";
  std::string compression;
  std::optional<int> compression_level;
  std::string partition_by;
  std::string from;
  std::string to;
  int64_t limit = -1;
  bool limit_given = false;
  std::string columns;
  int64_t max_file_size = 0;
  std::string out;
  std::string warehouse;
  std::string catalog;
  std::string region;
  bool json_array = false;
  int threads = 0;  // 0: all cores
  std::string parquet_version;
  bool json = false;
  bool no_service_filter = false;
};

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    std::string item = text.substr(start, comma - start);
    if (!item.empty()) out.push_back(item);
    start = comma + 1;
  }
  return out;
}

int run(const ExportArgs& args) {
  auto catalog = load_catalog(args.catalog);
  if (!catalog.ok()) return fail("export", catalog.status());

  ExportRequest request;
  request.dataset = args.dataset;
  request.format = args.format;
  if (!args.compression.empty()) request.compression = args.compression;
  request.compression_level = args.compression_level;
  if (!args.partition_by.empty()) request.partition_by = args.partition_by;
  if (!args.from.empty()) request.date_from = args.from;
  if (!args.to.empty()) request.date_to = args.to;
  if (args.limit_given) request.limit = args.limit;
  request.columns = split_list(args.columns);
  request.max_file_size = args.max_file_size;
  request.json_array = args.json_array;
  if (!args.parquet_version.empty()) request.parquet_version = args.parquet_version;

  auto plan = plan_export(*catalog, request);
  if (!plan.ok()) return fail("export", plan.status());
  plan->format.threads = args.threads;

  auto source = open_warehouse(args.warehouse);
  if (!source.ok()) return fail("export", source.status());

  // The CLI runs with the operator's own rights, or as a region-scoped session would.
  const AccessPolicy& policy = catalog->access_policy();
  Caller caller = args.region.empty() ? Caller::admin(policy)
                                      : Caller::with_role(policy.session_role, args.region, policy);

  plan->apply_region_filter = !args.no_service_filter;
  auto store = open_export_store(args.out);
  if (!store.ok()) return fail("export", store.status());
  if (is_s3_location(args.out)) {
    // A bucket that is missing or refuses the credentials is said so before any row is read;
    // an earlier run into the same prefix that died may have left incomplete uploads.
    Status reachable = (*store)->check_reachable();
    if (!reachable.ok()) return fail("export", reachable);
    Status aborted = (*store)->abort_incomplete_uploads("");
    if (!aborted.ok()) return fail("export", aborted);
  }
  ExportProgress progress;
  Result<ExportResult> result = Status::Internal("not run");
  {
    ProgressBar bar("exporting " + args.dataset, &progress);
    result = run_export(*plan, **source, caller, **store, "", &progress);
  }
  if (!result.ok()) return fail("export", result.status());

  if (args.json) {
    // A local export names its one file, or its folder when there are several.
    const ExportedFile* single = result->single_file();
    const std::string file_path = single ? single->path : result->dataset;
    std::printf("%s\n", export_result_json(*result, &file_path).dump(2).c_str());
    return 0;
  }
  std::printf("Exported %lld rows of %s to %s (%s, %s) in %.2f s\n",
              static_cast<long long>(result->row_count), result->dataset.c_str(),
              args.out.c_str(), result->format.c_str(), result->compression.c_str(),
              static_cast<double>(result->duration_ms) / 1000.0);
  for (const ExportedFile& f : result->files) {
    std::printf("  %-60s %10lld rows %12s\n", f.path.c_str(), static_cast<long long>(f.rows),
                human_bytes(f.bytes).c_str());
  }
  std::printf("  %s\n", "manifest.json");
  std::printf("%zu file(s), %s in all\n", result->files.size(),
              human_bytes(result->total_bytes).c_str());
  return 0;
}

}  // namespace

void add_export_command(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<ExportArgs>();
  auto* cmd = app.add_subcommand("export", "Export a dataset to Parquet, CSV or JSON files");
  cmd->add_option("--dataset", args->dataset, "Dataset to export (see `datasets`)")->required();
  cmd->add_option("--format", args->format, "parquet (default), csv or json");
  cmd->add_option("--compression", args->compression,
                  "parquet: snappy (default), gzip, lz4, brotli, zstd, uncompressed; "
                  "csv/json: none (default), gzip, zstd, brotli, lz4");
  cmd->add_option("--compression-level", args->compression_level, describe_compression_levels());
  cmd->add_option("--partition-by", args->partition_by, "Column whose values name Hive-style folders");
  cmd->add_option("--from", args->from, "First date (YYYY-MM-DD, inclusive) of the date column");
  cmd->add_option("--to", args->to, "Last date (YYYY-MM-DD, inclusive) of the date column");
  cmd->add_option("--limit", args->limit, "At most this many rows")->each([args](const std::string&) {
    args->limit_given = true;
  });
  cmd->add_option("--columns", args->columns, "Comma-separated columns to export, in order");
  cmd->add_option("--max-file-size", args->max_file_size, "Start a new file past this many bytes");
  cmd->add_option("--out", args->out, "Output folder (created if missing), or s3://BUCKET/PREFIX "
                  "(credentials from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ENDPOINT_URL)")->required();
  cmd->add_option("--warehouse", args->warehouse,
                  "sqlite:PATH or postgresql://... (default: the embedded demo warehouse)");
  cmd->add_option("--catalog", args->catalog, "Dataset catalog file (default: the built-in one)");
  cmd->add_option("--region", args->region, "Export only this region's rows, as a region-scoped key would");
  cmd->add_option("--threads", args->threads,
                  "Threads that encode side by side (default: all cores); the file is the same")
      ->check(CLI::Range(1, 1024));
  cmd->add_flag("--json-array", args->json_array, "JSON: one array instead of one object per line");
  cmd->add_option("--parquet-version", args->parquet_version,
                  std::string(kParquetVersionChoices))
      ->check(CLI::IsMember({"v1", "v2"}));
  cmd->add_flag("--json", args->json, "Print the result as JSON");
  cmd->add_flag("--no-service-filter", args->no_service_filter,
                "With --region: leave the region filter to the database's row-level security alone "
                "(a diagnostic, to prove PostgreSQL itself refuses the other rows)");
  cmd->callback([args, exit_code] { *exit_code = run(*args); });
}

}  // namespace scout::cli
