// Loads the demo into PostgreSQL as Supabase would hold it: schemas scout_gold and
// scout_platinum, an auth.jwt() as Supabase defines it, the roles anon, authenticated and
// service_role, and row-level-security policies of datasets.md written against auth.jwt().
// Everything happens in one transaction, so a refresh is atomic.
#pragma once

#include <memory>
#include <string>

#include "demo/demo_generator.h"

namespace scout {

Result<std::unique_ptr<DemoSink>> make_postgres_demo_sink(const std::string& url);

}  // namespace scout
