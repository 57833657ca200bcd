// Loads the demo into PostgreSQL as Supabase would hold it: schemas scout_gold and
// scout_platinum with the catalog's exact types and NOT NULLs, scout_gold.stores, Supabase's
// auth.jwt(), the roles anon, authenticated and service_role plus scout_exporter (a NOLOGIN
// role the export service may SET ROLE to; the loading login is granted it and authenticated),
// and on every table ENABLE + FORCE ROW LEVEL SECURITY with the policies of datasets.md written
// against auth.jwt(). Rows arrive by COPY; everything happens in one transaction, so a refresh
// replaces the data atomically and running it again gives the same warehouse.
#pragma once

#include <memory>
#include <string>

#include "demo/demo_generator.h"

namespace scout {

// `policy` names the role exports read as (its session_role); the catalog given to finish()
// supplies the policies themselves.
Result<std::unique_ptr<DemoSink>> make_postgres_demo_sink(
    const std::string& url, const AccessPolicy& policy = AccessPolicy::standard());

}  // namespace scout
