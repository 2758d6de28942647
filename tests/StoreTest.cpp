// The bulk-import store on its own: records, resume lookups, exports and merging.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include <sqlite3.h>

#include "noticescan/batch/Batch.h"
#include "noticescan/batch/Store.h"

using namespace noticescan::batch;
using json = nlohmann::ordered_json;
namespace fs = std::filesystem;

namespace {

json result(const std::string& sha, const std::string& receipt, const std::string& noticeDate) {
  return {{"schema_version", 1},
          {"file", "scanned.png"},
          {"sha256", sha},
          {"status", "ok"},
          {"error", nullptr},
          {"document",
           {{"kind", "image"}, {"page_count", 1}, {"notice_type", "I-797C"}, {"form_type", "I-130"},
            {"notice_date", noticeDate}, {"received_date", nullptr}, {"priority_date", nullptr}}},
          {"fields",
           json::array({{{"type", "receipt_number"}, {"value", receipt}, {"raw", receipt}, {"confidence", 0.99},
                         {"page", 1}, {"polygon", json::array()}, {"label", "Receipt Number"}, {"role", nullptr},
                         {"source", "ocr"}, {"evidence", json::array()}, {"repairs", json::array()}},
                        {{"type", "a_number"}, {"value", "A012345678"}, {"raw", "A012345678"}, {"confidence", 0.97},
                         {"page", 1}, {"polygon", json::array()}, {"label", "A-Number"}, {"role", "beneficiary"},
                         {"source", "ocr"}, {"evidence", json::array()}, {"repairs", json::array()}}})},
          {"pages", json::array()},
          {"warnings", json::array()},
          {"timings_ms", {{"total", 900}}}};
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("noticescan-store-test-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

}  // namespace

TEST_F(StoreTest, RemembersWhatItScannedUntilTheFileChanges) {
  Store store(dir_ / "a.db");
  const FileStamp stamp{1000, 42};
  EXPECT_FALSE(store.knownFile("/in/a.png", stamp, "opts"));
  store.recordScan("/in/a.png", stamp, "opts", result("aaaa", "IOE0912345678", "2024-01-18"));
  EXPECT_EQ(store.knownFile("/in/a.png", stamp, "opts"), "aaaa");
  EXPECT_FALSE(store.knownFile("/in/a.png", FileStamp{1000, 43}, "opts"));  // touched since
  EXPECT_FALSE(store.knownFile("/in/a.png", stamp, "other options"));       // other results
  EXPECT_TRUE(store.hasDocument("aaaa", "opts"));
  EXPECT_EQ((fs::status(dir_ / "a.db").permissions() & fs::perms::others_read), fs::perms::none);
}

TEST_F(StoreTest, ExportsOneResultPerPathAndProblemsAsErrors) {
  Store store(dir_ / "a.db");
  store.recordScan("/in/a.png", {1, 1}, "opts", result("aaaa", "IOE0912345678", "2024-01-18"));
  store.recordFile("/in/copy of a.png", {1, 2}, "aaaa", "opts");
  store.recordSkipped("/in/notes.txt", "not an image or PDF");
  store.recordSkipped("/in/locked.pdf", "the file cannot be read", "unreadable");
  std::vector<std::pair<std::string, std::string>> seen;
  store.forEachResult([&](const json& r) { seen.emplace_back(r["file"], r["status"]); });
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, std::string>>{
                      {"/in/a.png", "ok"}, {"/in/copy of a.png", "ok"}, {"/in/locked.pdf", "error"}}));
  const Store::Counts c = store.counts();
  EXPECT_EQ(c.documents, 1);
  EXPECT_EQ(c.files, 2);
  EXPECT_EQ(c.fields, 2);
  EXPECT_EQ(c.failed, 1);
  EXPECT_EQ(c.skipped, 1);
}

TEST_F(StoreTest, MergingAddsWhatIsMissingOnce) {
  {
    Store one(dir_ / "1.db");
    one.recordScan("/in/a.png", {1, 1}, "opts", result("aaaa", "IOE0912345678", "2024-01-18"));
    one.recordScan("/in/b.png", {1, 1}, "opts", result("bbbb", "IOE0912345678", "2024-03-02"));
    Store two(dir_ / "2.db");
    two.recordScan("/in/b.png", {1, 1}, "opts", result("bbbb", "IOE0912345678", "2024-03-02"));
    two.recordScan("/in/c.png", {1, 1}, "opts", result("cccc", "EAC2190012345", "2023-05-05"));
  }
  Store merged(dir_ / "m.db");
  EXPECT_EQ(merged.merge(dir_ / "1.db"), 2);
  EXPECT_EQ(merged.merge(dir_ / "2.db"), 1);
  EXPECT_EQ(merged.merge(dir_ / "2.db"), 0);  // again: nothing new
  const Store::Counts c = merged.counts();
  EXPECT_EQ(c.documents, 3);
  EXPECT_EQ(c.files, 3);
  EXPECT_EQ(c.fields, 6);
  EXPECT_THROW(merged.merge(dir_ / "missing.db"), StoreError);

  // The cases view: the two notices of IOE0912345678 in date order, with their A-number.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "m.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* q = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "SELECT notices, notices_by_date, a_numbers, form_type FROM cases "
                               "WHERE receipt_number = 'IOE0912345678'",
                               -1, &q, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(q), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(q, 0), 2);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(q, 1)), "2024-01-18 I-797C; 2024-03-02 I-797C");
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(q, 2)), "A012345678");
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(q, 3)), "I-130");
  sqlite3_finalize(q);
  sqlite3_close(db);
}

TEST_F(StoreTest, SomethingThatIsNotAStoreIsRefusedClearly) {
  std::ofstream(dir_ / "notes.db") << "these are my notes, not a database";
  EXPECT_THROW(Store(dir_ / "notes.db"), StoreError);
}

TEST(ShardTest, EveryPathIsInExactlyOneShard) {
  for (const std::string path : {"a.png", "2024/scan 1.pdf", "x/y/z.heic", "\xff\xfe.jpg"}) {
    int shards = 0;
    for (int k = 1; k <= 5; ++k) shards += inShard(path, k, 5) ? 1 : 0;
    EXPECT_EQ(shards, 1) << path;
    EXPECT_TRUE(inShard(path, 1, 1));
  }
}
