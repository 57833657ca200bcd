#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "cli/warehouse.h"
#include "server/api_keys.h"
#include "server/data_dir.h"

namespace scout::cli {
namespace {

struct KeysArgs {
  std::string role, region, name, data_dir, id;
};

Result<ApiKeyStore> open_store(const KeysArgs& args) {
  std::string dir = args.data_dir.empty() ? default_data_dir() : args.data_dir;
  SCOUT_ASSIGN_OR_RETURN(std::string warning, prepare_data_dir(dir));
  if (!warning.empty()) std::fprintf(stderr, "%s\n", warning.c_str());
  return ApiKeyStore::open(dir + "/keys.json");
}

}  // namespace

void add_keys_command(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<KeysArgs>();
  auto* keys = app.add_subcommand("keys", "Manage API keys (stored hashed in <data-dir>/keys.json)");
  keys->require_subcommand(1);

  auto* create = keys->add_subcommand("create", "Create a key; prints it once, as the last line");
  create->add_option("--role", args->role, "admin, analytics_export, or another role (refused by policy)")->required();
  create->add_option("--region", args->region, "Restrict the key to one region's rows");
  create->add_option("--name", args->name, "A name to recognise the key by");
  create->add_option("--data-dir", args->data_dir, "Data folder of the service");
  create->callback([args, exit_code] {
    auto store = open_store(*args);
    if (!store.ok()) {
      *exit_code = fail("keys create", store.status());
      return;
    }
    ApiKeyRecord record;
    std::optional<std::string> region;
    if (!args->region.empty()) region = args->region;
    auto secret = store->create(args->role, region, args->name, &record);
    if (!secret.ok()) {
      *exit_code = fail("keys create", secret.status());
      return;
    }
    std::printf("Created key %s (%s, role %s%s). It is shown only now:\n%s\n", record.id.c_str(),
                record.name.c_str(), record.role.c_str(),
                record.region ? (", region " + *record.region).c_str() : "", secret->c_str());
  });

  auto* list = keys->add_subcommand("list", "List keys (never the secrets)");
  list->add_option("--data-dir", args->data_dir, "Data folder of the service");
  list->callback([args, exit_code] {
    auto store = open_store(*args);
    if (!store.ok()) {
      *exit_code = fail("keys list", store.status());
      return;
    }
    for (const auto& k : store->list()) {
      std::printf("%-18s %-24s %-18s %-30s %s%s\n", k.id.c_str(), k.name.c_str(), k.role.c_str(),
                  k.region.value_or("-").c_str(), k.created_at.c_str(), k.revoked ? "  revoked" : "");
    }
  });

  auto* revoke = keys->add_subcommand("revoke", "Revoke a key by id or name");
  revoke->add_option("key", args->id, "Key id or name")->required();
  revoke->add_option("--data-dir", args->data_dir, "Data folder of the service");
  revoke->callback([args, exit_code] {
    auto store = open_store(*args);
    Status st = store.ok() ? store->revoke(args->id) : store.status();
    if (!st.ok()) {
      *exit_code = fail("keys revoke", st);
      return;
    }
    std::printf("Revoked %s\n", args->id.c_str());
  });
}

}  // namespace scout::cli
