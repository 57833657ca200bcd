// The web console (web/): its files are built by esbuild and compiled into the binary as a
// fixed table, so `GET /` works from any folder with nothing installed beside the binary. Each
// file is served at its own literal route; no path a client sends ever names a file.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace scout {

struct WebConsoleFile {
  std::string_view path;          // "/" for the page, "/console/..." for its assets
  std::string_view content_type;
  std::string_view body;
};

// The console's Content-Security-Policy: scripts, styles, images and connections from the
// service's own origin only (no inline script or style, no CDN), plus connections to
// `download_origin`, where signed URLs point when that is another origin (object storage, a
// public URL), since the preview reads a Parquet file through them. Empty: none.
std::string web_console_csp(std::string_view download_origin);

// "scheme://host[:port]" of an absolute http(s) URL; "" when `url` is not one.
std::string url_origin(std::string_view url);

}  // namespace scout
