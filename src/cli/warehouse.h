// What several subcommands share: opening the catalog and the warehouse, reporting failures.
#pragma once

#include <memory>
#include <string>

#include "core/catalog.h"
#include "core/warehouse_url.h"
#include "source/source.h"

namespace scout::cli {

// Creates the embedded demo warehouse at `path` when it does not exist yet, in a private folder
// (the data dir) when that is missing too.
Status ensure_embedded_warehouse(const std::string& path);
// The catalog file given, or the built-in one when `path` is empty.
Result<Catalog> load_catalog(const std::string& path);
// The warehouse named by `url`, or the embedded demo warehouse (created on first use).
Result<std::unique_ptr<Source>> open_warehouse(const std::string& url);
// From here on, the files and folders this process creates are its user's alone (umask 077):
// exports, job records, keys and the demo warehouse are not for the other accounts of the
// machine. Called once, by main, before any command runs.
void keep_created_files_private();
// Prints "<command>: <message>" on stderr; returns the exit code for the status.
int fail(const char* command, const Status& status);

}  // namespace scout::cli
