// The embedded warehouse: one SQLite file whose tables carry the dataset names. Declared
// column types name the API types (DATE, TIMESTAMP, DECIMAL(p,s), SMALLINT, INTEGER, BIGINT,
// DOUBLE, REAL, TEXT, BOOLEAN, BLOB); dates and timestamps are ISO 8601 text, so anyone
// reading the file with sqlite3 sees readable values.
#pragma once

#include <memory>
#include <string>

#include "source/source.h"

namespace scout {

Result<std::unique_ptr<Source>> open_sqlite_source(const std::string& path);

// The API type a declared SQLite column type stands for; nullopt for anything else.
std::optional<DataType> sqlite_declared_type(std::string_view declared);
// The declared type we create for an API type (the inverse of the above).
std::string sqlite_type_for(const DataType& type);

}  // namespace scout
