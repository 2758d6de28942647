#include "noticescan/batch/Workers.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <optional>

#include "noticescan/batch/WorkerProcess.h"
#include "noticescan/report/Report.h"

namespace noticescan::batch {
namespace {

using Clock = std::chrono::steady_clock;

/// A worker's answer when it cannot work at all: the message follows this marker.
constexpr const char* kDependencyMarker = "\x01" "dependency:";

[[noreturn]] void workerMain(int in, int out, const ScanOptions& options) {
  // The parent decides what an interrupt means (a terminal's Ctrl-C or a scheduler's SIGTERM reaches
  // the whole process group); it stops its workers itself.
  ::signal(SIGINT, SIG_IGN);
  ::signal(SIGTERM, SIG_IGN);
  ::signal(SIGPIPE, SIG_DFL);
  Scanner scanner(options);
  // A job: one byte, the page threads to use (more when other workers would sit idle), then the path.
  while (const std::optional<std::string> job = readFrame(in)) {
    if (job->empty()) break;
    scanner.setPageThreads(std::max(1, static_cast<int>(static_cast<unsigned char>((*job)[0]))));
    const std::string path = job->substr(1);
    std::string answer;
    try {
      const ScanResult result = scanner.scanFile(path);
      answer = report::toJson(result).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    } catch (const DependencyError& e) {
      answer = std::string(kDependencyMarker) + e.what();
    }
    if (!writeFrame(out, answer)) break;
  }
  ::_exit(0);
}

struct Worker {
  pid_t pid = -1;
  int toChild = -1;
  int fromChild = -1;
  std::optional<std::size_t> job;
  Clock::time_point started;
  int jobsDone = 0;
};

class Pool {
 public:
  explicit Pool(const PoolOptions& options) : options_(options) {}
  ~Pool() {
    for (Worker& w : workers_) stop(w, true);
  }

  void start(int count) {
    workers_.resize(static_cast<std::size_t>(count));
    for (Worker& w : workers_) spawn(w);
  }
  std::vector<Worker>& workers() { return workers_; }

  void spawn(Worker& w) {
    int down[2], up[2];
    if (::pipe(down) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    if (::pipe(up) != 0) {
      ::close(down[0]);
      ::close(down[1]);
      throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    }
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
      // The child keeps only its own two pipe ends: the other workers' must close when the parent
      // closes them, or those workers would never see the end of their input.
      for (const Worker& other : workers_) {
        if (other.toChild >= 0) ::close(other.toChild);
        if (other.fromChild >= 0) ::close(other.fromChild);
      }
      ::close(down[1]);
      ::close(up[0]);
      workerMain(down[0], up[1], options_.scan);
    }
    ::close(down[0]);
    ::close(up[1]);
    w = Worker{};
    w.pid = pid;
    w.toChild = down[1];
    w.fromChild = up[0];
  }

  /// Ends a worker: politely (its input closed, it exits) or by force.
  void stop(Worker& w, bool force) {
    if (w.pid < 0) return;
    if (force) ::kill(w.pid, SIGKILL);
    describeExit(w);
  }

  std::string describeExit(Worker& w) {
    ::close(w.toChild);
    ::close(w.fromChild);
    const pid_t pid = w.pid;
    w = Worker{};
    return "the scanner " + reap(pid) + " on this file";
  }

 private:
  PoolOptions options_;
  std::vector<Worker> workers_;
};

}  // namespace

void runPool(const std::vector<std::string>& paths, const PoolOptions& options,
             const std::function<void(std::size_t, const Outcome&)>& done, const std::function<void()>& tick,
             const std::atomic<bool>* interrupted) {
  if (paths.empty()) return;
  // A worker that died between two files must not take the parent with it when written to.
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  struct sigaction previous {};
  ::sigaction(SIGPIPE, &ignore, &previous);
  struct Restore {
    struct sigaction action;
    ~Restore() { ::sigaction(SIGPIPE, &action, nullptr); }
  } restore{previous};

  Pool pool(options);
  pool.start(std::clamp(options.workers, 1, static_cast<int>(paths.size())));
  std::size_t next = 0, finished = 0;
  auto lastTick = Clock::now();
  while (finished < paths.size()) {
    if (interrupted && interrupted->load()) return;  // ~Pool kills the workers
    for (Worker& w : pool.workers()) {
      if (w.job || next >= paths.size()) continue;
      if (w.pid < 0) pool.spawn(w);
      // The last file gets the cores that no other file will take: its pages are read side by
      // side (a large PDF at the end of a batch, or alone in it, keeps every core busy).
      int threads = 1;
      if (next + 1 == paths.size()) {
        const auto busy = std::count_if(pool.workers().begin(), pool.workers().end(), [](const Worker& o) { return o.job.has_value(); });
        threads = std::clamp(options.workers - static_cast<int>(busy), 1, 255);
      }
      if (!writeFrame(w.toChild, std::string(1, static_cast<char>(threads)) + paths[next])) {
        // Died while idle: replace it and try again on the next round.
        pool.describeExit(w);
        pool.spawn(w);
        continue;
      }
      w.job = next++;
      w.started = Clock::now();
    }
    std::vector<pollfd> fds;
    std::vector<Worker*> owners;
    auto wait = std::chrono::milliseconds(1000);
    for (Worker& w : pool.workers()) {
      if (!w.job) continue;
      fds.push_back({w.fromChild, POLLIN, 0});
      owners.push_back(&w);
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(w.started + options.timeout - Clock::now());
      wait = std::clamp(left, std::chrono::milliseconds(0), wait);
    }
    const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(wait.count()));
    if (ready < 0 && errno != EINTR) throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
    for (std::size_t i = 0; ready > 0 && i < fds.size(); ++i) {
      if (fds[i].revents == 0) continue;
      Worker& w = *owners[i];
      const std::size_t job = *w.job;
      Outcome outcome;
      outcome.seconds = std::chrono::duration<double>(Clock::now() - w.started).count();
      if (const std::optional<std::string> answer = readFrame(w.fromChild)) {
        if (answer->rfind(kDependencyMarker, 0) == 0) throw PoolDependencyError(answer->substr(std::strlen(kDependencyMarker)));
        outcome.json = std::move(*answer);
        w.job.reset();
        if (++w.jobsDone >= options.recycleAfter) pool.stop(w, false);
      } else {
        // A worker lost while the batch is being stopped did not fail on its file: the file stays
        // unrecorded and is scanned when the batch resumes.
        if (interrupted && interrupted->load()) return;
        outcome.kind = Outcome::Kind::Crashed;
        outcome.message = pool.describeExit(w);
      }
      ++finished;
      done(job, outcome);
    }
    for (Worker& w : pool.workers()) {
      if (!w.job || Clock::now() < w.started + options.timeout) continue;
      const std::size_t job = *w.job;
      Outcome outcome;
      outcome.kind = Outcome::Kind::Timeout;
      outcome.seconds = std::chrono::duration<double>(Clock::now() - w.started).count();
      outcome.message = "scanning took longer than the limit of " +
                        std::to_string(std::chrono::duration_cast<std::chrono::seconds>(options.timeout).count()) +
                        " s and was stopped";
      pool.stop(w, true);
      ++finished;
      done(job, outcome);
    }
    if (Clock::now() - lastTick >= std::chrono::milliseconds(200)) {
      tick();
      lastTick = Clock::now();
    }
  }
  tick();
}

}  // namespace noticescan::batch
