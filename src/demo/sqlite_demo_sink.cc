#include "demo/sqlite_demo_sink.h"

#include <sqlite3.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>

#include <cstdio>
#include <filesystem>

#include "export/format_writer.h"
#include "source/sqlite_source.h"

namespace scout {
namespace {

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

  Status begin_table(const std::string& name, const std::string&, const Schema& schema) override {
    schema_ = schema;
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
    SCOUT_RETURN_IF_ERROR(exec("BEGIN"));
    sqlite3_finalize(insert_);
    insert_ = nullptr;
    if (sqlite3_prepare_v2(db_, (insert + ")").c_str(), -1, &insert_, nullptr) != SQLITE_OK) return error();
    return Status::OK();
  }

  Status append(const ColumnBatch& batch) override {
    char buf[64];
    for (size_t r = 0; r < batch.num_rows(); ++r) {
      for (size_t c = 0; c < batch.num_columns(); ++c) {
        const ColumnVector& col = batch.column(c);
        int i = static_cast<int>(c) + 1;
        if (!col.validity()[r]) {
          sqlite3_bind_null(insert_, i);
          continue;
        }
        switch (col.type().id) {
          case TypeId::kBoolean: sqlite3_bind_int(insert_, i, col.value<uint8_t>(r)); break;
          case TypeId::kInt16:
          case TypeId::kInt32: sqlite3_bind_int(insert_, i, col.value<int32_t>(r)); break;
          case TypeId::kInt64: sqlite3_bind_int64(insert_, i, col.value<int64_t>(r)); break;
          case TypeId::kFloat: sqlite3_bind_double(insert_, i, col.value<float>(r)); break;
          case TypeId::kDouble: sqlite3_bind_double(insert_, i, col.value<double>(r)); break;
          case TypeId::kDecimal: {
            std::string text;
            append_decimal(&text, col.type().precision <= 18 ? col.value<int64_t>(r) : col.value<__int128>(r),
                           col.type().scale);
            sqlite3_bind_text(insert_, i, text.c_str(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
            break;
          }
          case TypeId::kString:
          case TypeId::kBinary: {
            std::string_view v = col.string_at(r);
            if (col.type().id == TypeId::kString) {
              sqlite3_bind_text(insert_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
            } else {
              sqlite3_bind_blob(insert_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
            }
            break;
          }
          case TypeId::kDate: {
            size_t n = write_date(buf, col.value<int32_t>(r));
            sqlite3_bind_text(insert_, i, buf, static_cast<int>(n), SQLITE_TRANSIENT);
            break;
          }
          case TypeId::kTimestamp: {
            size_t n = write_timestamp_micros(buf, col.value<int64_t>(r));
            sqlite3_bind_text(insert_, i, buf, static_cast<int>(n), SQLITE_TRANSIENT);
            break;
          }
        }
      }
      if (sqlite3_step(insert_) != SQLITE_DONE) return error();
      sqlite3_reset(insert_);
    }
    return Status::OK();
  }

  Status end_table() override { return exec("COMMIT"); }

  Status finish(const Catalog& catalog) override {
    for (const DatasetSpec& d : catalog.datasets()) {
      SCOUT_RETURN_IF_ERROR(exec("CREATE INDEX \"" + d.name + "_by_date\" ON \"" + d.name + "\"(\"" +
                                 d.date_column + "\")"));
    }
    SCOUT_RETURN_IF_ERROR(exec("CREATE INDEX stores_by_region ON stores(region)"));
    SCOUT_RETURN_IF_ERROR(exec("ANALYZE"));
    sqlite3_finalize(insert_);
    insert_ = nullptr;
    if (sqlite3_close(db_) != SQLITE_OK) return Status::IOError("cannot close '" + tmp_path_ + "'");
    db_ = nullptr;
    std::error_code ec;
    std::filesystem::rename(tmp_path_, path_, ec);
    if (ec) return Status::IOError("cannot move the new warehouse into '" + path_ + "': " + ec.message());
    return Status::OK();
  }

 private:
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
  Schema schema_;
};

}  // namespace

Result<std::unique_ptr<DemoSink>> make_sqlite_demo_sink(const std::string& path) {
  std::filesystem::path p(path);
  std::error_code ec;
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ec);
  // Leftovers of builds that were killed: their process is gone.
  std::string prefix = p.filename().string() + ".building-";
  for (const auto& entry : std::filesystem::directory_iterator(p.has_parent_path() ? p.parent_path() : ".", ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    pid_t pid = static_cast<pid_t>(std::atol(name.c_str() + prefix.size()));
    if (pid > 0 && ::kill(pid, 0) != 0) std::filesystem::remove(entry.path(), ec);
  }
  std::string tmp = path + ".building-" + std::to_string(::getpid());
  std::remove(tmp.c_str());
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(tmp.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Status::IOError("cannot create '" + tmp + "': " + msg);
  }
  // The file is private until renamed, so durability during the build buys nothing.
  sqlite3_exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=16384;",
               nullptr, nullptr, nullptr);
  return std::unique_ptr<DemoSink>(new SqliteDemoSink(db, path, tmp));
}

}  // namespace scout
