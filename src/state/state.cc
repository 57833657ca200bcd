#include "state/state.h"

#include "core/warehouse_url.h"
#include "state/pg_state.h"

namespace scout {

Status check_state_url(const std::string& state_url) {
  if (state_url.empty() || state_url.starts_with("postgresql://") ||
      state_url.starts_with("postgres://")) {
    return Status::OK();
  }
  return Status::Invalid("state URL '" + redact_url(state_url) +
                         "' is not a PostgreSQL URL; use postgresql://USER:PASSWORD@HOST:PORT/DATABASE, or "
                         "leave it empty to keep the state in the data dir");
}

Result<ServiceState> open_service_state(const std::string& state_url, const std::string& data_dir) {
  SCOUT_RETURN_IF_ERROR(check_state_url(state_url));
  ServiceState state;
  if (state_url.empty()) {
    state.backend = "data_dir";
    state.jobs = std::make_unique<FileJobStore>(data_dir + "/jobs");
    SCOUT_ASSIGN_OR_RETURN(auto keys, FileApiKeyStore::open(data_dir + "/keys.json"));
    state.keys = std::make_unique<FileApiKeyStore>(std::move(keys));
    SCOUT_ASSIGN_OR_RETURN(state.audit, FileAuditLog::open(data_dir + "/audit.log"));
    return state;
  }
  SCOUT_ASSIGN_OR_RETURN(auto db, StateDatabase::open(state_url));
  state.backend = "postgresql";
  state.jobs = std::make_unique<PgJobStore>(db);
  state.keys = std::make_unique<PgApiKeyStore>(db);
  state.audit = std::make_unique<PgAuditLog>(db);
  return state;
}

Result<std::unique_ptr<ApiKeyStore>> open_key_store(const std::string& state_url,
                                                    const std::string& data_dir) {
  SCOUT_RETURN_IF_ERROR(check_state_url(state_url));
  if (state_url.empty()) {
    SCOUT_ASSIGN_OR_RETURN(auto keys, FileApiKeyStore::open(data_dir + "/keys.json"));
    return std::unique_ptr<ApiKeyStore>(std::make_unique<FileApiKeyStore>(std::move(keys)));
  }
  SCOUT_ASSIGN_OR_RETURN(auto db, StateDatabase::open(state_url));
  return std::unique_ptr<ApiKeyStore>(std::make_unique<PgApiKeyStore>(db));
}

}  // namespace scout
