#include "noticescan/batch/Store.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>

namespace noticescan::batch {
namespace {

using json = nlohmann::ordered_json;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS documents(
  sha256 TEXT NOT NULL,
  options TEXT NOT NULL,
  status TEXT NOT NULL,
  error_code TEXT,
  error_message TEXT,
  kind TEXT,
  page_count INTEGER,
  notice_type TEXT,
  form_type TEXT,
  notice_date TEXT,
  received_date TEXT,
  priority_date TEXT,
  scan_ms INTEGER,
  result TEXT NOT NULL,
  scanned_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  PRIMARY KEY (sha256, options)
);
CREATE TABLE IF NOT EXISTS fields(
  sha256 TEXT NOT NULL,
  options TEXT NOT NULL,
  type TEXT NOT NULL,
  value TEXT NOT NULL,
  confidence REAL,
  page INTEGER,
  label TEXT,
  role TEXT,
  source TEXT,
  FOREIGN KEY (sha256, options) REFERENCES documents(sha256, options) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS fields_by_value ON fields(type, value);
CREATE INDEX IF NOT EXISTS fields_by_document ON fields(sha256, options);
CREATE TABLE IF NOT EXISTS files(
  path TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  mtime_ns INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  options TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS problems(
  path TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('skipped', 'failed')),
  error_code TEXT,
  reason TEXT NOT NULL
);
CREATE VIEW IF NOT EXISTS cases AS
SELECT r.value AS receipt_number,
       (SELECT d2.form_type FROM documents d2 JOIN fields r2 USING (sha256, options)
         WHERE r2.type = 'receipt_number' AND r2.value = r.value AND d2.form_type IS NOT NULL
         ORDER BY d2.notice_date LIMIT 1) AS form_type,
       count(DISTINCT r.sha256) AS notices,
       (SELECT group_concat(line, '; ') FROM (
          SELECT DISTINCT coalesce(d3.notice_date, '?') || ' ' || coalesce(d3.notice_type, '?') AS line
            FROM documents d3 JOIN fields r3 USING (sha256, options)
           WHERE r3.type = 'receipt_number' AND r3.value = r.value ORDER BY line)) AS notices_by_date,
       (SELECT group_concat(value, ' ') FROM (
          SELECT DISTINCT a.value FROM fields a JOIN fields r4 ON a.sha256 = r4.sha256 AND a.options = r4.options
           WHERE a.type = 'a_number' AND r4.type = 'receipt_number' AND r4.value = r.value ORDER BY a.value)) AS a_numbers
  FROM fields r
 WHERE r.type = 'receipt_number'
 GROUP BY r.value;
)sql";

/// JSON text that never throws on bytes that are not UTF-8 (file names can hold any bytes).
std::string dumpJson(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
      throw StoreError(std::string("store: ") + sqlite3_errmsg(db));
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, const std::string& text) {
    sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind(int i, std::int64_t n) {
    sqlite3_bind_int64(stmt_, i, n);
    return *this;
  }
  Statement& bind(int i, double x) {
    sqlite3_bind_double(stmt_, i, x);
    return *this;
  }
  Statement& bind(int i, const json& maybeText) {
    if (maybeText.is_string()) return bind(i, maybeText.get<std::string>());
    if (maybeText.is_number_integer()) return bind(i, maybeText.get<std::int64_t>());
    if (maybeText.is_number()) return bind(i, maybeText.get<double>());
    sqlite3_bind_null(stmt_, i);
    return *this;
  }
  /// Steps once: true while a row is there.
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw StoreError(std::string("store: ") + sqlite3_errmsg(db_));
  }
  void run() {
    while (step()) {
    }
    sqlite3_reset(stmt_);
  }
  std::string text(int column) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
  }
  std::int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace

struct Store::Impl {
  sqlite3* db = nullptr;

  void exec(const char* sql) {
    char* error = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
      const std::string message = error ? error : "unknown error";
      sqlite3_free(error);
      throw StoreError("store: " + message);
    }
  }

  /// Runs `work` in one transaction: all of it is written, or none.
  template <typename Work>
  void transaction(Work work) {
    exec("BEGIN IMMEDIATE");
    try {
      work();
      exec("COMMIT");
    } catch (...) {
      sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

  void insertDocument(const std::string& options, const json& result) {
    const std::string sha = result.at("sha256").get<std::string>();
    const json& document = result.contains("document") ? result.at("document") : json();
    const json& error = result.contains("error") ? result.at("error") : json();
    const auto fact = [&](const char* name) { return document.is_object() && document.contains(name) ? document.at(name) : json(); };
    const auto errorPart = [&](const char* name) { return error.is_object() ? error.at(name) : json(); };
    const json timings = result.contains("timings_ms") ? result.at("timings_ms") : json::object();
    Statement(db,
              "INSERT OR REPLACE INTO documents(sha256, options, status, error_code, error_message, kind, page_count, "
              "notice_type, form_type, notice_date, received_date, priority_date, scan_ms, result) "
              "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)")
        .bind(1, sha)
        .bind(2, options)
        .bind(3, result.value("status", std::string("error")))
        .bind(4, errorPart("code"))
        .bind(5, errorPart("message"))
        .bind(6, fact("kind"))
        .bind(7, fact("page_count"))
        .bind(8, fact("notice_type"))
        .bind(9, fact("form_type"))
        .bind(10, fact("notice_date"))
        .bind(11, fact("received_date"))
        .bind(12, fact("priority_date"))
        .bind(13, timings.contains("total") ? timings.at("total") : json())
        .bind(14, dumpJson(result))
        .run();
    Statement(db, "DELETE FROM fields WHERE sha256 = ?1 AND options = ?2").bind(1, sha).bind(2, options).run();
    Statement insert(db,
                     "INSERT INTO fields(sha256, options, type, value, confidence, page, label, role, source) "
                     "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    for (const json& f : result.value("fields", json::array())) {
      insert.bind(1, sha).bind(2, options).bind(3, f.at("type")).bind(4, f.at("value")).bind(5, f.at("confidence"))
          .bind(6, f.at("page")).bind(7, f.at("label")).bind(8, f.at("role")).bind(9, f.at("source"));
      insert.run();
    }
  }

  void insertFile(const std::string& path, const FileStamp& stamp, const std::string& sha, const std::string& options) {
    Statement(db, "INSERT OR REPLACE INTO files(path, size, mtime_ns, sha256, options) VALUES(?1, ?2, ?3, ?4, ?5)")
        .bind(1, path)
        .bind(2, stamp.size)
        .bind(3, stamp.mtimeNs)
        .bind(4, sha)
        .bind(5, options)
        .run();
    Statement(db, "DELETE FROM problems WHERE path = ?1").bind(1, path).run();
  }
};

Store::Store(const std::filesystem::path& path) : impl_(std::make_unique<Impl>()) {
  const bool existed = std::filesystem::exists(path);
  if (sqlite3_open_v2(path.c_str(), &impl_->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    const std::string message = impl_->db ? sqlite3_errmsg(impl_->db) : "out of memory";
    sqlite3_close(impl_->db);
    throw StoreError("cannot open the store " + path.string() + ": " + message);
  }
  if (!existed) ::chmod(path.c_str(), 0600);
  sqlite3_busy_timeout(impl_->db, 30000);
  try {
    impl_->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
    impl_->exec(kSchema);
  } catch (const StoreError& e) {
    sqlite3_close(impl_->db);
    throw StoreError("cannot use " + path.string() + " as a store (" + e.what() + ")");
  }
}

Store::~Store() { sqlite3_close(impl_->db); }

std::optional<std::string> Store::knownFile(const std::string& path, const FileStamp& stamp, const std::string& options) {
  Statement q(impl_->db,
              "SELECT f.sha256 FROM files f JOIN documents d ON d.sha256 = f.sha256 AND d.options = ?4 "
              "WHERE f.path = ?1 AND f.size = ?2 AND f.mtime_ns = ?3");
  q.bind(1, path).bind(2, stamp.size).bind(3, stamp.mtimeNs).bind(4, options);
  if (q.step()) return q.text(0);
  return std::nullopt;
}

std::optional<std::string> Store::recordedSha(const std::string& path) {
  Statement q(impl_->db, "SELECT sha256 FROM files WHERE path = ?1");
  q.bind(1, path);
  if (q.step()) return q.text(0);
  return std::nullopt;
}

bool Store::hasDocument(const std::string& sha256, const std::string& options) {
  Statement q(impl_->db, "SELECT 1 FROM documents WHERE sha256 = ?1 AND options = ?2");
  q.bind(1, sha256).bind(2, options);
  return q.step();
}

void Store::recordScan(const std::string& path, const FileStamp& stamp, const std::string& options, const json& result) {
  impl_->transaction([&] {
    impl_->insertDocument(options, result);
    impl_->insertFile(path, stamp, result.at("sha256").get<std::string>(), options);
  });
}

void Store::recordFile(const std::string& path, const FileStamp& stamp, const std::string& sha256,
                       const std::string& options) {
  impl_->transaction([&] { impl_->insertFile(path, stamp, sha256, options); });
}

void Store::recordSkipped(const std::string& path, const std::string& reason, const std::string& errorCode) {
  impl_->transaction([&] {
    Statement(impl_->db, "INSERT OR REPLACE INTO problems(path, kind, error_code, reason) VALUES(?1, ?2, ?3, ?4)")
        .bind(1, path)
        .bind(2, std::string(errorCode.empty() ? "skipped" : "failed"))
        .bind(3, errorCode.empty() ? json() : json(errorCode))
        .bind(4, reason)
        .run();
  });
}

void Store::forEachResult(const std::function<void(const json& result)>& visit) {
  Statement q(impl_->db,
              "SELECT f.path, d.result FROM files f JOIN documents d ON d.sha256 = f.sha256 AND d.options = f.options "
              "UNION ALL SELECT path, NULL FROM problems WHERE kind = 'failed' ORDER BY 1");
  while (q.step()) {
    json result;
    const std::string stored = q.text(1);
    if (stored.empty()) {
      result = {{"schema_version", 1}, {"file", q.text(0)}, {"sha256", nullptr}, {"status", "error"}};
      Statement problem(impl_->db, "SELECT error_code, reason FROM problems WHERE path = ?1");
      problem.bind(1, q.text(0));
      const bool known = problem.step();
      result["error"] = {{"code", known ? problem.text(0) : std::string("unreadable")},
                         {"message", known ? problem.text(1) : std::string()}};
      result["document"] = nullptr;
      for (const char* key : {"fields", "withheld_fields", "pages", "warnings"}) result[key] = json::array();
      result["timings_ms"] = json::object();
    } else {
      result = json::parse(stored);
      result["file"] = q.text(0);
    }
    visit(result);
  }
}

int Store::merge(const std::filesystem::path& other) {
  if (!std::filesystem::exists(other)) throw StoreError("no such store: " + other.string());
  int added = 0;
  Statement(impl_->db, "ATTACH DATABASE ?1 AS other").bind(1, other.string()).run();
  try {
    impl_->transaction([&] {
      impl_->exec(
          "CREATE TEMP TABLE new_documents AS SELECT sha256, options FROM other.documents o WHERE NOT EXISTS "
          "(SELECT 1 FROM main.documents d WHERE d.sha256 = o.sha256 AND d.options = o.options)");
      {
        Statement count(impl_->db, "SELECT count(*) FROM temp.new_documents");
        count.step();
        added = static_cast<int>(count.integer(0));
      }  // finished before the table is dropped
      impl_->exec(
          "INSERT INTO main.documents SELECT * FROM other.documents "
          " WHERE (sha256, options) IN (SELECT sha256, options FROM temp.new_documents);"
          "INSERT INTO main.fields SELECT * FROM other.fields "
          " WHERE (sha256, options) IN (SELECT sha256, options FROM temp.new_documents);"
          "INSERT OR IGNORE INTO main.files SELECT * FROM other.files;"
          "INSERT OR IGNORE INTO main.problems SELECT * FROM other.problems o "
          " WHERE NOT EXISTS (SELECT 1 FROM main.files f WHERE f.path = o.path);"
          "DROP TABLE temp.new_documents;");
    });
  } catch (...) {
    sqlite3_exec(impl_->db, "DETACH DATABASE other", nullptr, nullptr, nullptr);
    throw;
  }
  impl_->exec("DETACH DATABASE other");
  return added;
}

Store::Counts Store::counts() {
  Counts c;
  const auto one = [&](const char* sql) {
    Statement q(impl_->db, sql);
    return q.step() ? static_cast<int>(q.integer(0)) : 0;
  };
  c.documents = one("SELECT count(*) FROM documents");
  c.files = one("SELECT count(*) FROM files");
  c.fields = one("SELECT count(*) FROM fields");
  c.failed = one("SELECT (SELECT count(*) FROM documents WHERE status = 'error') + "
                 "(SELECT count(*) FROM problems WHERE kind = 'failed')");
  c.skipped = one("SELECT count(*) FROM problems WHERE kind = 'skipped'");
  return c;
}

}  // namespace noticescan::batch
