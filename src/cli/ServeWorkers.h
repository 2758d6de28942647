#pragma once
// `noticescan serve` scans in worker processes: the server process only speaks HTTP. A decoder or
// OCR engine that crashes on some upload takes down one worker, not the server with every request
// in flight; that request is answered 500 and the worker is started again. A scan that runs past
// the time limit by more than a grace period is stopped by killing its worker, which also covers
// the work the in-process limit cannot interrupt (one PDF page render, one image decode).
//
// Each worker is this same executable started again (`noticescan serve-worker`, not in --help),
// not a fork of the server: forking a process whose other threads may hold locks (the allocator's,
// Tesseract's) can leave the child waiting for ever. The worker reads jobs on fd 3 and answers on
// fd 4 (batch/Frames.h); it creates its scanner once and keeps it for many requests.

#include <sys/types.h>

#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "noticescan/Scanner.h"

namespace cli {

/// The JSON body of an error answer: {"status": "error", "error": {"code", "message"}}.
nlohmann::ordered_json errorBody(const std::string& code, const std::string& message);

/// One upload to scan and how to answer it.
struct ServeJob {
  std::string_view bytes;
  std::string name;
  bool includeAccessCode = false;
  double minConfidence = noticescan::ScanOptions{}.minConfidence;
  int previewLongSide = 0;
  bool redact = false;
};

/// An HTTP status and its JSON body, ready to send.
struct ServeAnswer {
  int status = 500;
  std::string body;
};

class ServeWorkers {
 public:
  /// Starts `size` workers scanning with `options` and waits until each has its OCR engine.
  /// Throws noticescan::DependencyError when they cannot create one (e.g. a missing language).
  /// Up to `queue` requests wait for a free worker; more are turned away.
  ServeWorkers(int size, int queue, const noticescan::ScanOptions& options);
  ~ServeWorkers();
  ServeWorkers(const ServeWorkers&) = delete;
  ServeWorkers& operator=(const ServeWorkers&) = delete;

  /// Scans on the next free worker; nullopt when every worker is busy and the queue is full.
  /// Called from many threads at once.
  std::optional<ServeAnswer> scan(const ServeJob& job);

  /// Workers are replaced after this many scans, which keeps memory flat on a long-running server.
  static constexpr int kRecycleAfter = 200;

 private:
  struct Worker {
    pid_t pid = -1;
    int toChild = -1;
    int fromChild = -1;
    int jobsDone = 0;
  };

  void spawn(Worker& w);
  /// Waits for a new worker's first word: ready, or the reason it cannot scan.
  void awaitReady(Worker& w);
  /// spawn and awaitReady; on failure `w` stays stopped and is started again when next used.
  void restart(Worker& w);
  /// Kills `w` (if it still runs), reaps it and says how it ended.
  std::string end(Worker& w, bool kill);
  ServeAnswer run(Worker& w, const ServeJob& job);

  std::string settings_;  ///< the first frame every worker receives: its ScanOptions as JSON
  int hardLimitMs_ = 0;   ///< 0: none
  int queue_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::vector<Worker> workers_;
  std::vector<std::size_t> free_;
  int waiting_ = 0;
};

/// `noticescan serve-worker`: the worker's side. Returns the process's exit code.
int runServeWorker();

}  // namespace cli
