// The service's state, whichever backend keeps it: job records and the queue, API keys and the
// audit log. Without a state URL they are files of the data dir, as one instance needs; with
// `--state postgresql://...` they live in PostgreSQL, shared by every instance naming it.
#pragma once

#include <memory>
#include <string>

#include "state/api_keys.h"
#include "state/audit_log.h"
#include "state/job_store.h"

namespace scout {

struct ServiceState {
  std::unique_ptr<JobStore> jobs;
  std::unique_ptr<ApiKeyStore> keys;
  std::unique_ptr<AuditLog> audit;
  std::string backend;  // "data_dir" | "postgresql"
};

// A state URL must be a postgresql:// (or postgres://) URL; anything else is refused naming
// the valid forms. Empty is the data dir.
Status check_state_url(const std::string& state_url);

// Opens the state of `data_dir` (created beforehand), or of the database `state_url`, whose
// schema scout_export is created or migrated first.
Result<ServiceState> open_service_state(const std::string& state_url, const std::string& data_dir);

// Only the key store, for `scout-export keys`.
Result<std::unique_ptr<ApiKeyStore>> open_key_store(const std::string& state_url,
                                                    const std::string& data_dir);

}  // namespace scout
