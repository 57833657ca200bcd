// Writes the demo into the embedded SQLite warehouse. The new file is built aside and renamed
// over the old one when complete, so a refresh is atomic and running exports keep reading the
// snapshot they opened.
#pragma once

#include <memory>
#include <string>

#include "demo/demo_generator.h"

namespace scout {

Result<std::unique_ptr<DemoSink>> make_sqlite_demo_sink(const std::string& path);

}  // namespace scout
