#pragma once
// batch/: `noticescan batch`: find the documents under some paths, scan what the store does not
// hold yet on a pool of workers, and record each result as it comes (Store.h, Workers.h).

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "noticescan/Scanner.h"

namespace noticescan::batch {

struct BatchOptions {
  std::vector<std::filesystem::path> inputs;  ///< files and folders (walked recursively)
  std::filesystem::path store;
  int jobs = 1;
  ScanOptions scan;
  std::chrono::milliseconds timeout{std::chrono::minutes(5)};  ///< per file
  /// Take only shard `shard.first` of `shard.second` (1-based), chosen from each path's name:
  /// the same command on N machines covers every input once.
  std::optional<std::pair<int, int>> shard;
};

/// Where a batch stands, for progress displays.
struct Progress {
  std::size_t toScan = 0;   ///< files this run has to scan
  std::size_t scanned = 0;  ///< of those, finished (failed ones included)
  std::size_t failed = 0;
  double elapsedSeconds = 0;
};

struct BatchSummary {
  std::size_t found = 0;       ///< regular files under the inputs (in this shard)
  std::size_t scanned = 0;     ///< scanned in this run
  std::size_t known = 0;       ///< already in the store, unchanged
  std::size_t duplicates = 0;  ///< same content as another file: recorded, not scanned again
  std::size_t skipped = 0;     ///< not documents
  std::size_t failed = 0;      ///< could not be read, or scanned with an error (this run)
  std::map<std::string, std::size_t> identifiers;  ///< type -> count found in this run
  std::size_t withheld = 0;  ///< values read too uncertainly to report (ScanResult::withheld), this run
  double seconds = 0;
  bool interrupted = false;
};

/// The options that change results, as stored with each document: the same file scanned with
/// other options is another record.
std::string optionsKey(const ScanOptions& options);

/// Whether `path` (as given, relative to the input it was found under) falls in shard k of n.
bool inShard(const std::string& path, int k, int n);

/// Runs a batch. Throws StoreError (store unusable) or PoolDependencyError (nothing can be
/// scanned); a bad input is recorded and the batch goes on. `progress` is called often.
BatchSummary runBatch(const BatchOptions& options, const std::function<void(const Progress&)>& progress,
                      const std::atomic<bool>* interrupted);

}  // namespace noticescan::batch
