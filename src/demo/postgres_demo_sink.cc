#include "demo/postgres_demo_sink.h"

#include <charconv>

#include "common/hex.h"
#include "export/format_writer.h"
#include "source/pg_connection.h"
#include "source/postgres_source.h"
#include "source/sql_builder.h"

namespace scout {
namespace {

// Schemas, Supabase's auth.jwt() and its roles, each made only when missing, so the same
// script prepares a bare server and leaves a real Supabase project's own definitions alone.
// SESSION_ROLE stands for the access policy's session role (Supabase's `authenticated`), a
// catalog name (^[a-z_][a-z0-9_]*$), in a string literal or a quoted identifier.
constexpr const char* kSetup = R"sql(
CREATE SCHEMA IF NOT EXISTS scout_gold;
CREATE SCHEMA IF NOT EXISTS scout_platinum;
CREATE SCHEMA IF NOT EXISTS auth;
DO $setup$
DECLARE
  role_name text;
BEGIN
  IF NOT EXISTS (SELECT FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                 WHERE n.nspname = 'auth' AND p.proname = 'jwt' AND p.pronargs = 0) THEN
    -- Supabase's definition (supabase/auth, migration 20220531120530): the claims PostgREST
    -- put on the session, as jsonb; NULL when there are none, so every policy refuses.
    CREATE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE AS $jwt$
      SELECT coalesce(
        nullif(current_setting('request.jwt.claim', true), ''),
        nullif(current_setting('request.jwt.claims', true), '')
      )::jsonb
    $jwt$;
  END IF;
  -- Supabase's API roles, and the role the export service takes for its reads. Roles belong
  -- to the whole cluster, so a concurrent load elsewhere may create one first.
  FOR role_name IN SELECT unnest(ARRAY['anon', 'authenticated', 'service_role', 'scout_exporter', 'SESSION_ROLE']) LOOP
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = role_name) THEN
      BEGIN
        EXECUTE format('CREATE ROLE %I NOLOGIN', role_name);
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
      END;
    END IF;
  END LOOP;
  -- The loading login may SET ROLE to the roles exports read as.
  FOR role_name IN SELECT unnest(ARRAY['SESSION_ROLE', 'scout_exporter']) LOOP
    IF NOT pg_has_role(current_user, role_name, 'MEMBER') THEN
      EXECUTE format('GRANT %I TO %I', role_name, current_user);
    END IF;
  END LOOP;
END
$setup$;
GRANT USAGE ON SCHEMA scout_gold, scout_platinum, auth TO "SESSION_ROLE", service_role, scout_exporter;
GRANT EXECUTE ON FUNCTION auth.jwt() TO anon, "SESSION_ROLE", service_role, scout_exporter;
)sql";

// The setup script for a policy's session role (a catalog name: ^[a-z_][a-z0-9_]*$).
std::string setup_sql(const AccessPolicy& policy) {
  std::string sql = kSetup;
  static constexpr std::string_view kPlaceholder = "SESSION_ROLE";
  for (size_t at; (at = sql.find(kPlaceholder)) != std::string::npos;) {
    sql.replace(at, kPlaceholder.size(), policy.session_role);
  }
  return sql;
}

// A region claim of the policy, where Supabase keeps custom claims ("region" at the top level,
// "app_metadata.region" nested), as SQL. Each is wrapped in a sub-SELECT, as Supabase advises
// for auth.jwt(): it is then evaluated once per query (an InitPlan) instead of once per row,
// which made reading under RLS several times slower than the COPY itself.
std::string claim_sql(const std::string& path) {
  std::string sql = "(SELECT auth.jwt()";
  size_t start = 0;
  for (size_t dot; (dot = path.find('.', start)) != std::string::npos; start = dot + 1) {
    sql += " -> '" + path.substr(start, dot - start) + "'";
  }
  return sql + " ->> '" + path.substr(start) + "')";
}

// The rows of `table` in the region `claim` names, through its region column or its store
// column joined to the stores table; "" when the table has neither.
std::string rows_of_region(const std::string& region_column, const std::string& store_column,
                           const std::string& claim, const AccessPolicy& policy) {
  if (!region_column.empty()) return quote_ident(region_column) + " = " + claim;
  if (!store_column.empty()) {
    return quote_ident(store_column) + " IN (SELECT " + quote_ident(policy.stores.store_column) +
           " FROM " + quote_table(policy.stores.table) + " WHERE " +
           quote_ident(policy.stores.region_column) + " = " + claim + ")";
  }
  return "";
}

// datasets.md's policies, for `table`. Two permissive ones, either of which lets a row through:
// the guide's export policy (the export roles, admin and analytics_export, see every row) and
// the region policy (a region claim sees that region's rows). One restrictive one, which every
// row must also pass: when the claims carry a region, whatever the role, only that region's
// rows, and none of a table without a region. A claim set matching no policy reads nothing.
// Dropping each policy first makes the script safe to run again on the same table.
std::string policies_sql(const std::string& table, const std::string& region_column,
                         const std::string& store_column, const AccessPolicy& policy) {
  std::string sql = "ALTER TABLE " + table + " ENABLE ROW LEVEL SECURITY;" +
                    "ALTER TABLE " + table + " FORCE ROW LEVEL SECURITY;" +
                    "GRANT SELECT ON " + table + " TO " + quote_ident(policy.session_role) +
                    ", service_role, scout_exporter;";
  for (const char* name : {"Export access policy", "Region access policy", "Region restriction"}) {
    sql += "DROP POLICY IF EXISTS \"" + std::string(name) + "\" ON " + table + ";";
  }
  std::string export_roles;
  for (const std::string& role : policy.export_roles) {
    export_roles += (export_roles.empty() ? "'" : ", '") + role + "'";
  }
  sql += "CREATE POLICY \"Export access policy\" ON " + table +
         " FOR SELECT USING ((SELECT auth.jwt() ->> 'role') IN (" + export_roles + "));";
  std::string any_claim, restriction, no_claim;
  for (const std::string& path : policy.region_claims) {
    const std::string claim = claim_sql(path);
    const std::string rows = rows_of_region(region_column, store_column, claim, policy);
    any_claim += (any_claim.empty() ? "" : ", ") + claim;
    restriction += (restriction.empty() ? "(" : " AND (") + claim + " IS NULL OR " + rows + ")";
    no_claim += (no_claim.empty() ? "" : " AND ") + claim + " IS NULL";
  }
  if (!rows_of_region(region_column, store_column, "", policy).empty()) {
    // The first claim found wins, as it does in the service (which refuses tokens whose
    // claims disagree); the restriction below refuses such a claim set anyway.
    sql += "CREATE POLICY \"Region access policy\" ON " + table + " FOR SELECT USING (" +
           rows_of_region(region_column, store_column, "coalesce(" + any_claim + ")", policy) + ");";
    sql += "CREATE POLICY \"Region restriction\" ON " + table +
           " AS RESTRICTIVE FOR SELECT USING (" + restriction + ");";
  } else {
    sql += "CREATE POLICY \"Region restriction\" ON " + table +
           " AS RESTRICTIVE FOR SELECT USING (" + no_claim + ");";
  }
  return sql;
}

// COPY's text format: backslash, tab, newline and carriage return are escaped.
void append_copy_text(std::string* out, std::string_view v) {
  for (char ch : v) {
    switch (ch) {
      case '\\': out->append("\\\\"); break;
      case '\t': out->append("\\t"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      default: out->push_back(ch);
    }
  }
}

template <typename Int>
void append_int(std::string* out, Int v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, r.ptr);
}

void append_copy_value(std::string* out, const ColumnVector& col, size_t r) {
  char buf[64];
  switch (col.type().id) {
    case TypeId::kBoolean: out->push_back(col.value<uint8_t>(r) ? 't' : 'f'); break;
    case TypeId::kInt16:
    case TypeId::kInt32: append_int(out, col.value<int32_t>(r)); break;
    case TypeId::kInt64: append_int(out, col.value<int64_t>(r)); break;
    case TypeId::kFloat: append_double(out, col.value<float>(r)); break;
    case TypeId::kDouble: append_double(out, col.value<double>(r)); break;
    case TypeId::kDecimal:
      append_decimal(out, col.type().precision <= 18 ? col.value<int64_t>(r) : col.value<__int128>(r),
                     col.type().scale);
      break;
    case TypeId::kString: append_copy_text(out, col.string_at(r)); break;
    case TypeId::kBinary: {
      out->append("\\\\x");
      for (unsigned char ch : col.string_at(r)) append_hex_byte(out, ch);
      break;
    }
    case TypeId::kDate: out->append(buf, write_date(buf, col.value<int32_t>(r))); break;
    case TypeId::kTimestamp: out->append(buf, write_timestamp_micros(buf, col.value<int64_t>(r))); break;
  }
}

class PostgresDemoSink final : public DemoSink {
 public:
  PostgresDemoSink(std::unique_ptr<PgConnection> conn, const AccessPolicy& policy)
      : conn_(std::move(conn)), policy_(policy) {}
  ~PostgresDemoSink() override {
    if (!committed_) (void)conn_->exec("ROLLBACK");
  }

  Status start() {
    SCOUT_RETURN_IF_ERROR(conn_->exec("BEGIN"));
    SCOUT_RETURN_IF_ERROR(conn_->exec("SET LOCAL TimeZone = 'UTC'"));
    return conn_->exec(setup_sql(policy_));
  }

  // CASCADE also drops the policies of other tables that join through this one (the stores
  // table); the transaction recreates them all before anyone sees the change.
  Status begin_table(const std::string&, const std::string& qualified, const Schema& schema) override {
    table_ = qualified;
    std::string ddl = "DROP TABLE IF EXISTS " + qualified + " CASCADE; CREATE TABLE " + qualified + " (";
    for (size_t i = 0; i < schema.size(); ++i) {
      if (i) ddl += ", ";
      ddl += "\"" + schema[i].name + "\" " + postgres_type_for(schema[i].type) +
             (schema[i].nullable ? "" : " NOT NULL");
    }
    SCOUT_RETURN_IF_ERROR(conn_->exec(ddl + ")"));
    // FREEZE: the table is new in this transaction, so its rows can be written frozen.
    PGresult* r = PQexec(conn_->get(), ("COPY " + qualified + " FROM STDIN WITH (FREEZE)").c_str());
    Status st = PQresultStatus(r) == PGRES_COPY_IN ? Status::OK() : conn_->error_status("COPY " + qualified, r);
    PQclear(r);
    return st;
  }

  Status append(const ColumnBatch& batch) override {
    buffer_.clear();
    for (size_t r = 0; r < batch.num_rows(); ++r) {
      for (size_t c = 0; c < batch.num_columns(); ++c) {
        if (c) buffer_.push_back('\t');
        const ColumnVector& col = batch.column(c);
        if (col.validity()[r]) {
          append_copy_value(&buffer_, col, r);
        } else {
          buffer_.append("\\N");
        }
      }
      buffer_.push_back('\n');
    }
    if (PQputCopyData(conn_->get(), buffer_.data(), static_cast<int>(buffer_.size())) != 1) {
      return conn_->error_status("loading " + table_);
    }
    return Status::OK();
  }

  Status end_table() override {
    if (PQputCopyEnd(conn_->get(), nullptr) != 1) return conn_->error_status("loading " + table_);
    PGresult* r = PQgetResult(conn_->get());
    Status st = PQresultStatus(r) == PGRES_COMMAND_OK ? Status::OK() : conn_->error_status("loading " + table_, r);
    PQclear(r);
    while (PGresult* rest = PQgetResult(conn_->get())) PQclear(rest);
    return st;
  }

  Status finish(const Catalog& catalog) override {
    const AccessPolicy& policy = catalog.access_policy();
    if (policy.session_role != policy_.session_role) {
      return Status::Invalid("the catalog's session role '" + policy.session_role +
                             "' is not the one this load prepared ('" + policy_.session_role + "')");
    }
    const std::string stores = quote_table(policy.stores.table);
    std::string sql = "ALTER TABLE " + stores + " ADD PRIMARY KEY (" + quote_ident(policy.stores.store_column) +
                      ");" + "CREATE INDEX ON " + stores + " (" + quote_ident(policy.stores.region_column) +
                      ");" + policies_sql(stores, policy.stores.region_column, "", policy);
    for (const DatasetSpec& d : catalog.datasets()) {
      sql += "CREATE INDEX ON " + quote_table(d.table) + " (" + quote_ident(d.date_column) + ");";
      sql += policies_sql(quote_table(d.table), d.region_column, d.store_column, policy);
    }
    SCOUT_RETURN_IF_ERROR(conn_->exec(sql));
    SCOUT_RETURN_IF_ERROR(conn_->exec("COMMIT"));
    committed_ = true;
    std::string analyze = "ANALYZE " + stores;
    for (const DatasetSpec& d : catalog.datasets()) analyze += ", " + quote_table(d.table);
    return conn_->exec(analyze);
  }

 private:
  std::unique_ptr<PgConnection> conn_;
  AccessPolicy policy_;  // the setup's; finish() checks the catalog names the same session role
  std::string table_;
  std::string buffer_;
  bool committed_ = false;
};

}  // namespace

Result<std::unique_ptr<DemoSink>> make_postgres_demo_sink(const std::string& url,
                                                          const AccessPolicy& policy) {
  SCOUT_ASSIGN_OR_RETURN(auto conn, PgConnection::connect(url));
  auto sink = std::make_unique<PostgresDemoSink>(std::move(conn), policy);
  SCOUT_RETURN_IF_ERROR(sink->start());
  return std::unique_ptr<DemoSink>(std::move(sink));
}

}  // namespace scout
