#pragma once
// batch/: the store of a bulk import. One SQLite file (WAL mode) keyed by each input's SHA-256 and
// the options that change results: documents, their fields, the paths they were found at, the
// inputs skipped, and a view `cases` that groups notices by receipt number. Every scanned file is
// written in one transaction with its path, so a batch killed at any point leaves whole records
// only, and the next run continues where it stopped.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace noticescan::batch {

/// A store that cannot be opened, read or written.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// What says whether a file changed since it was scanned.
struct FileStamp {
  std::int64_t size = 0;
  std::int64_t mtimeNs = 0;
  bool operator==(const FileStamp&) const = default;
};

class Store {
 public:
  /// Opens or creates the store at `path` (the file is made readable by its owner only: it holds
  /// identifiers). Throws StoreError.
  explicit Store(const std::filesystem::path& path);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  /// The SHA-256 recorded for `path` when its stamp is unchanged and its document is stored under
  /// `options`; nullopt when it must be looked at again.
  std::optional<std::string> knownFile(const std::string& path, const FileStamp& stamp, const std::string& options);
  /// The SHA-256 last recorded for `path`, whatever its stamp.
  std::optional<std::string> recordedSha(const std::string& path);
  /// Whether the document with this content is stored under `options` (another path had it).
  bool hasDocument(const std::string& sha256, const std::string& options);
  /// Records a scan result (its JSON, schema 1) and the path it was read from, in one transaction.
  void recordScan(const std::string& path, const FileStamp& stamp, const std::string& options,
                  const nlohmann::ordered_json& result);
  /// Records that `path` holds content already stored.
  void recordFile(const std::string& path, const FileStamp& stamp, const std::string& sha256, const std::string& options);
  /// Records an input that was not scanned, with the reason: not a document (`errorCode` empty),
  /// or a failure before scanning (`errorCode` as in the JSON contract: "unreadable", "too_large").
  void recordSkipped(const std::string& path, const std::string& reason, const std::string& errorCode = {});

  /// Every stored result under any options, once per path it was found at, in path order; the
  /// result's "file" is that path. Inputs that could not be read come as error results.
  void forEachResult(const std::function<void(const nlohmann::ordered_json& result)>& visit);
  /// Adds every record of the store at `other` that this one lacks. Returns the documents added.
  int merge(const std::filesystem::path& other);

  /// Counts for summaries and tests.
  struct Counts {
    int documents = 0;
    int files = 0;
    int fields = 0;
    int failed = 0;   ///< documents with status error, and files that could not be read
    int skipped = 0;  ///< inputs that are not documents
  };
  Counts counts();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace noticescan::batch
