#include "demo/sqlite_demo_sink.h"

#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "export/format_writer.h"
#include "source/sql_builder.h"
#include "source/sqlite_source.h"

namespace scout {
namespace {

// How values are held, so that anyone opening the file with `sqlite3` reads them and the
// source gets back exactly what was generated:
//   declared type   the catalog type's SQL name (sqlite_type_for: DATE, TIMESTAMP, DECIMAL(14,2),
//                   SMALLINT, INTEGER, BIGINT, DOUBLE, TEXT, BOOLEAN), which the source checks
//                   against the catalog
//   date            TEXT 'YYYY-MM-DD'
//   timestamp       TEXT 'YYYY-MM-DDTHH:MM:SS.ffffffZ' (UTC)
//   decimal         bound as TEXT '1234.56'; the column's NUMERIC affinity stores it as the REAL
//                   (or INTEGER) SQLite prints back as the same decimal, up to 15 digits, which
//                   covers decimal(14,2)
//   boolean         INTEGER 0 or 1
class SqliteDemoSink final : public DemoSink {
 public:
  SqliteDemoSink(sqlite3* db, std::string path, std::string tmp_path)
      : db_(db), path_(std::move(path)), tmp_path_(std::move(tmp_path)) {}
  ~SqliteDemoSink() override {
    sqlite3_finalize(insert_);
    if (db_) {
      sqlite3_close(db_);
      std::remove(tmp_path_.c_str());  // not finished: the old warehouse stays
    }
  }

  Status start() { return exec("BEGIN"); }

  Status begin_table(const std::string& name, const std::string&, const Schema& schema) override {
    std::string ddl = "CREATE TABLE \"" + name + "\" (";
    std::string insert = "INSERT INTO \"" + name + "\" VALUES (";
    for (size_t i = 0; i < schema.size(); ++i) {
      if (i) {
        ddl += ", ";
        insert += ", ";
      }
      ddl += "\"" + schema[i].name + "\" " + sqlite_type_for(schema[i].type) +
             (schema[i].nullable ? "" : " NOT NULL");
      insert += "?" + std::to_string(i + 1);
    }
    SCOUT_RETURN_IF_ERROR(exec(ddl + ")"));
    sqlite3_finalize(insert_);
    insert_ = nullptr;
    if (sqlite3_prepare_v2(db_, (insert + ")").c_str(), -1, &insert_, nullptr) != SQLITE_OK) return error();
    text_.assign(schema.size(), std::string());
    return Status::OK();
  }

  Status append(const ColumnBatch& batch) override {
    for (size_t r = 0; r < batch.num_rows(); ++r) {
      for (size_t c = 0; c < batch.num_columns(); ++c) bind(batch.column(c), r, static_cast<int>(c));
      if (sqlite3_step(insert_) != SQLITE_DONE) return error();
      sqlite3_reset(insert_);
    }
    return Status::OK();
  }

  Status end_table() override { return Status::OK(); }

  Status finish(const Catalog& catalog) override {
    sqlite3_finalize(insert_);
    insert_ = nullptr;
    for (const DatasetSpec& d : catalog.datasets()) {
      SCOUT_RETURN_IF_ERROR(exec("CREATE INDEX " + quote_ident(d.name + "_by_date") + " ON " +
                                 quote_ident(d.name) + "(" + quote_ident(d.date_column) + ")"));
    }
    const AccessPolicy::StoresTable& stores = catalog.access_policy().stores;
    SCOUT_RETURN_IF_ERROR(exec("CREATE UNIQUE INDEX " + quote_ident(stores.name + "_by_id") + " ON " +
                               quote_ident(stores.name) + "(" + quote_ident(stores.store_column) + ")"));
    SCOUT_RETURN_IF_ERROR(exec("CREATE INDEX " + quote_ident(stores.name + "_by_region") + " ON " +
                               quote_ident(stores.name) + "(" + quote_ident(stores.region_column) + ")"));
    SCOUT_RETURN_IF_ERROR(exec("COMMIT"));
    SCOUT_RETURN_IF_ERROR(exec("ANALYZE"));
    if (sqlite3_close(db_) != SQLITE_OK) return Status::IOError("cannot close '" + tmp_path_ + "'");
    db_ = nullptr;
    std::error_code ec;
    std::filesystem::rename(tmp_path_, path_, ec);
    if (ec) return Status::IOError("cannot move the new warehouse into '" + path_ + "': " + ec.message());
    return Status::OK();
  }

 private:
  // Binds row `r` of `col` to parameter c+1. Text made here lives in text_[c] until the step.
  void bind(const ColumnVector& col, size_t r, int c) {
    const int i = c + 1;
    if (!col.validity()[r]) {
      sqlite3_bind_null(insert_, i);
      return;
    }
    std::string& text = text_[static_cast<size_t>(c)];
    char buf[64];
    switch (col.type().id) {
      case TypeId::kBoolean: sqlite3_bind_int(insert_, i, col.value<uint8_t>(r)); return;
      case TypeId::kInt16:
      case TypeId::kInt32: sqlite3_bind_int(insert_, i, col.value<int32_t>(r)); return;
      case TypeId::kInt64: sqlite3_bind_int64(insert_, i, col.value<int64_t>(r)); return;
      case TypeId::kFloat: sqlite3_bind_double(insert_, i, col.value<float>(r)); return;
      case TypeId::kDouble: sqlite3_bind_double(insert_, i, col.value<double>(r)); return;
      case TypeId::kDecimal:
        text.clear();
        append_decimal(&text, col.type().precision <= 18 ? col.value<int64_t>(r) : col.value<__int128>(r),
                       col.type().scale);
        break;
      case TypeId::kString: {
        std::string_view v = col.string_at(r);
        sqlite3_bind_text(insert_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
        return;
      }
      case TypeId::kBinary: {
        std::string_view v = col.string_at(r);
        sqlite3_bind_blob(insert_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
        return;
      }
      case TypeId::kDate: text.assign(buf, write_date(buf, col.value<int32_t>(r))); break;
      case TypeId::kTimestamp: text.assign(buf, write_timestamp_micros(buf, col.value<int64_t>(r))); break;
    }
    sqlite3_bind_text(insert_, i, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
  }

  Status exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      return Status::IOError("embedded warehouse '" + path_ + "': " + msg);
    }
    return Status::OK();
  }
  Status error() { return Status::IOError("embedded warehouse '" + path_ + "': " + sqlite3_errmsg(db_)); }

  sqlite3* db_;
  std::string path_, tmp_path_;
  sqlite3_stmt* insert_ = nullptr;
  std::vector<std::string> text_;  // one buffer per parameter
};

}  // namespace

Result<std::unique_ptr<DemoSink>> make_sqlite_demo_sink(const std::string& path) {
  std::filesystem::path p(path);
  std::error_code ec;
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ec);
  std::string tmp = path + ".building-" + std::to_string(::getpid());
  std::remove(tmp.c_str());
  sqlite3* db = nullptr;
  // One thread uses this connection: no mutexes.
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(tmp.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    std::remove(tmp.c_str());
    return Status::IOError("cannot create the embedded warehouse '" + tmp + "': " + msg);
  }
  // The file is private until renamed, so durability while building buys nothing; a large
  // cache keeps the index builds in memory.
  sqlite3_exec(db,
               "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=16384;"
               "PRAGMA cache_size=-131072; PRAGMA temp_store=MEMORY;",
               nullptr, nullptr, nullptr);
  auto sink = std::make_unique<SqliteDemoSink>(db, path, tmp);
  SCOUT_RETURN_IF_ERROR(sink->start());
  return std::unique_ptr<DemoSink>(std::move(sink));
}

}  // namespace scout
