// PostgreSQL (what the guide's Supabase is) as a warehouse. An export runs in one read-only
// REPEATABLE READ transaction (one consistent snapshot), as the caller: the session takes the
// role `authenticated` and the caller's JWT claims, as Supabase's PostgREST does, so the
// database's own row-level security decides which rows come out. Rows stream through
// `COPY (SELECT ...) TO STDOUT (FORMAT binary)` straight into column batches.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "source/source.h"

namespace scout {

Result<std::unique_ptr<Source>> open_postgres_source(const std::string& url);

// The API type of a PostgreSQL column type as format_type() names it; nullopt otherwise.
std::optional<DataType> postgres_type_to_api(std::string_view pg_type);
// The column type we create for an API type.
std::string postgres_type_for(const DataType& type);

}  // namespace scout
