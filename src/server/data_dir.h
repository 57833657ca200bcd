// The data dir holds exports, job records, API keys, the signing key and the audit log, so it is
// its user's alone: every place that creates it, or a folder in it, goes through these.
#pragma once

#include <string>

#include "scout/status.h"

namespace scout {

// Creates the folder `path` with mode 0700 whatever the umask (missing parents as the umask
// allows). A folder already there is left as it is; anything else there is an error.
Status create_private_dir(const std::string& path);

// Creates the data dir at `path` private (0700) when missing. Returns one line to show the
// operator when an existing data dir can be read, entered or written by group or others (naming
// the path, its mode and the chmod that fixes it), else "".
Result<std::string> prepare_data_dir(const std::string& path);

}  // namespace scout
