#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "cli/warehouse.h"
#include "server/data_dir.h"
#include "state/state.h"

namespace scout::cli {
namespace {

struct KeysArgs {
  std::string role, region, name, data_dir, id, state_url;
};

// The service's key store: PostgreSQL with --state (or SCOUT_STATE_URL, as `serve` reads it),
// else <data-dir>/keys.json.
Result<std::unique_ptr<ApiKeyStore>> open_store(const KeysArgs& args) {
  std::string state_url = args.state_url;
  if (state_url.empty()) {
    const char* env = std::getenv("SCOUT_STATE_URL");
    if (env) state_url = env;
  }
  if (!state_url.empty()) return open_key_store(state_url, "");
  std::string dir = args.data_dir.empty() ? default_data_dir() : args.data_dir;
  SCOUT_ASSIGN_OR_RETURN(std::string warning, prepare_data_dir(dir));
  if (!warning.empty()) std::fprintf(stderr, "%s\n", warning.c_str());
  return open_key_store("", dir);
}

void add_store_options(CLI::App* command, KeysArgs* args) {
  command->add_option("--data-dir", args->data_dir, "Data folder of the service");
  command->add_option("--state", args->state_url,
                      "postgresql://... state database of the service (env SCOUT_STATE_URL); "
                      "keys are then kept there, not in the data dir");
}

}  // namespace

void add_keys_command(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<KeysArgs>();
  auto* keys = app.add_subcommand(
      "keys", "Manage API keys (stored hashed in <data-dir>/keys.json, or the --state database)");
  keys->require_subcommand(1);

  auto* create = keys->add_subcommand("create", "Create a key; prints it once, as the last line");
  create->add_option("--role", args->role, "admin, analytics_export, or another role (refused by policy)")->required();
  create->add_option("--region", args->region, "Restrict the key to one region's rows");
  create->add_option("--name", args->name, "A name to recognise the key by");
  add_store_options(create, args.get());
  create->callback([args, exit_code] {
    auto store = open_store(*args);
    if (!store.ok()) {
      *exit_code = fail("keys create", store.status());
      return;
    }
    ApiKeyRecord record;
    std::optional<std::string> region;
    if (!args->region.empty()) region = args->region;
    auto secret = (*store)->create(args->role, region, args->name, &record);
    if (!secret.ok()) {
      *exit_code = fail("keys create", secret.status());
      return;
    }
    std::printf("Created key %s (%s, role %s%s). It is shown only now:\n%s\n", record.id.c_str(),
                record.name.c_str(), record.role.c_str(),
                record.region ? (", region " + *record.region).c_str() : "", secret->c_str());
  });

  auto* list = keys->add_subcommand("list", "List keys (never the secrets)");
  add_store_options(list, args.get());
  list->callback([args, exit_code] {
    auto store = open_store(*args);
    auto listed = store.ok() ? (*store)->list() : Result<std::vector<ApiKeyRecord>>(store.status());
    if (!listed.ok()) {
      *exit_code = fail("keys list", listed.status());
      return;
    }
    for (const auto& k : *listed) {
      std::printf("%-18s %-24s %-18s %-30s %s%s\n", k.id.c_str(), k.name.c_str(), k.role.c_str(),
                  k.region.value_or("-").c_str(), k.created_at.c_str(), k.revoked ? "  revoked" : "");
    }
  });

  auto* revoke = keys->add_subcommand("revoke", "Revoke a key by id or name");
  revoke->add_option("key", args->id, "Key id or name")->required();
  add_store_options(revoke, args.get());
  revoke->callback([args, exit_code] {
    auto store = open_store(*args);
    Status st = store.ok() ? (*store)->revoke(args->id) : store.status();
    if (!st.ok()) {
      *exit_code = fail("keys revoke", st);
      return;
    }
    std::printf("Revoked %s\n", args->id.c_str());
  });
}

}  // namespace scout::cli
