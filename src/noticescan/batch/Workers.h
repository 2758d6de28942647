#pragma once
// batch/: a fixed pool of worker processes, each with its own Scanner (its OCR engine started
// once). Files go to whichever worker is free. A worker that crashes or passes the per-file time
// limit is killed and replaced, and that file is reported failed: one bad input never stops a
// batch or takes the process with it. Workers are replaced after a number of files, which keeps
// memory flat over long batches.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "noticescan/Scanner.h"

namespace noticescan::batch {

/// How one file went.
struct Outcome {
  enum class Kind { Scanned, Timeout, Crashed } kind = Kind::Scanned;
  std::string json;     ///< Scanned: the result as compact JSON (schema 1)
  std::string message;  ///< Timeout, Crashed: what happened, for a person
  double seconds = 0;   ///< wall time in the worker
};

struct PoolOptions {
  int workers = 1;
  ScanOptions scan;
  std::chrono::milliseconds timeout{std::chrono::minutes(5)};  ///< per file
  int recycleAfter = 400;  ///< files per worker process before it is replaced
};

/// Thrown when a worker cannot scan anything (e.g. Tesseract's language data is missing).
class PoolDependencyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Scans `paths` on a pool of worker processes; `done(index, outcome)` is called in the calling
/// thread as each file finishes, in completion order. `tick()` is called at least once a second.
/// Returns early (workers killed, unfinished files not reported) when `*interrupted` turns true.
void runPool(const std::vector<std::string>& paths, const PoolOptions& options,
             const std::function<void(std::size_t index, const Outcome& outcome)>& done,
             const std::function<void()>& tick, const std::atomic<bool>* interrupted);

}  // namespace noticescan::batch
