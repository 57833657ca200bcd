// The web console's files, built from web/ by esbuild (web/build.mjs) when the binary is built.
#pragma once

#include <span>

#include "server/web_console.h"

namespace scout::cli {

std::span<const WebConsoleFile> web_console_files();

}  // namespace scout::cli
