#include "ServeWorkers.h"

#include "ExitCodes.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <chrono>
#include <cstring>
#include <stdexcept>

#include "noticescan/batch/WorkerProcess.h"
#include "noticescan/report/Report.h"

extern char** environ;

namespace cli {
namespace {

using json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;
using noticescan::batch::readFrame;
using noticescan::batch::reap;
using noticescan::batch::waitFor;
using noticescan::batch::writeFrame;

constexpr int kJobFd = 3;     ///< the worker reads its settings and jobs here
constexpr int kAnswerFd = 4;  ///< and answers here
constexpr const char* kReady = "ready";
constexpr const char* kDependencyPrefix = "dependency:";
/// How long a new worker may take to load its OCR engine.
constexpr auto kStartLimit = std::chrono::seconds(60);

/// The HTTP status of a scan that failed on its input.
int statusFor(noticescan::ErrorCode code) {
  switch (code) {
    case noticescan::ErrorCode::UnsupportedFormat: return 415;
    case noticescan::ErrorCode::TooLarge: return 413;
    case noticescan::ErrorCode::Timeout: return 504;
    case noticescan::ErrorCode::Internal: return 500;
    default: return 422;
  }
}

std::string dump(const json& body) { return body.dump(-1, ' ', false, json::error_handler_t::replace); }

/// An answer frame: the status as three digits, then the body.
std::string answerFrame(int status, const std::string& body) { return std::to_string(status) + body; }

std::optional<ServeAnswer> parseAnswer(const std::string& frame) {
  if (frame.size() < 3 || !std::all_of(frame.begin(), frame.begin() + 3, [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return ServeAnswer{std::stoi(frame.substr(0, 3)), frame.substr(3)};
}

/// Moves `fd` to a descriptor of at least 10 that closes on exec (posix_spawn's dup2 onto 3 and 4
/// must not find its source already there); false, with `fd` left as it was, when it cannot.
bool moveHigh(int& fd) {
  if (fd >= 10) return true;
  const int high = ::fcntl(fd, F_DUPFD_CLOEXEC, 10);
  if (high < 0) return false;
  ::close(fd);
  fd = high;
  return true;
}

}  // namespace

json errorBody(const std::string& code, const std::string& message) {
  return {{"status", "error"}, {"error", {{"code", code}, {"message", message}}}};
}

ServeWorkers::ServeWorkers(int size, int queue, const noticescan::ScanOptions& options) : queue_(queue) {
  settings_ = json{{"tessdata", options.tessdataDir},
                   {"language", options.language},
                   {"max_input_bytes", options.maxInputBytes},
                   {"max_pixels_per_page", options.maxPixelsPerPage},
                   {"max_pages", options.maxPages},
                   {"time_limit_ms", options.timeLimitMs}}
                  .dump();
  // The in-process limit answers 504 itself at its next check; a worker that has not answered a
  // while later is stuck where it cannot check (a render, a decode) and is killed.
  if (options.timeLimitMs > 0) hardLimitMs_ = options.timeLimitMs + std::max(2000, options.timeLimitMs / 2);
  workers_.resize(static_cast<std::size_t>(size));
  try {
    for (Worker& w : workers_) spawn(w);
    for (Worker& w : workers_) awaitReady(w);
  } catch (...) {
    // A constructor that throws runs no destructor: the workers already started (still loading,
    // or waiting for work) are stopped here, or they outlive the server and write to its stderr.
    for (Worker& w : workers_) end(w, true);
    throw;
  }
  for (std::size_t i = 0; i < workers_.size(); ++i) free_.push_back(i);
}

ServeWorkers::~ServeWorkers() {
  for (Worker& w : workers_) end(w, true);
}

void ServeWorkers::spawn(Worker& w) {
  int down[2], up[2];
  if (::pipe2(down, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  if (::pipe2(up, O_CLOEXEC) != 0) {
    const int saved = errno;
    ::close(down[0]);
    ::close(down[1]);
    throw std::runtime_error(std::string("pipe: ") + std::strerror(saved));
  }
  if (!moveHigh(down[0]) || !moveHigh(up[1])) {
    const int saved = errno;
    for (const int fd : {down[0], down[1], up[0], up[1]}) ::close(fd);
    throw std::runtime_error(std::string("fcntl: ") + std::strerror(saved));
  }
  const int childIn = down[0];
  const int childOut = up[1];
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, 2, 1);  // nothing a worker prints may pass for an answer
  posix_spawn_file_actions_adddup2(&actions, childIn, kJobFd);
  posix_spawn_file_actions_adddup2(&actions, childOut, kAnswerFd);
  posix_spawn_file_actions_addclosefrom_np(&actions, kAnswerFd + 1);  // the server's sockets stay here
  char arg0[] = "noticescan";
  char arg1[] = "serve-worker";
  char* argv[] = {arg0, arg1, nullptr};
  pid_t pid = -1;
  const int spawned = ::posix_spawn(&pid, "/proc/self/exe", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(childIn);
  ::close(childOut);
  if (spawned != 0) {
    ::close(down[1]);
    ::close(up[0]);
    throw std::runtime_error(std::string("cannot start a scanner process: ") + std::strerror(spawned));
  }
  // Writes to a worker that stopped taking its input give up at the hard time limit.
  ::fcntl(down[1], F_SETFL, ::fcntl(down[1], F_GETFL) | O_NONBLOCK);
  w = Worker{};
  w.pid = pid;
  w.toChild = down[1];
  w.fromChild = up[0];
  if (!writeFrame(w.toChild, settings_)) {
    const std::string how = end(w, true);
    throw std::runtime_error("a scanner process " + how + " as it started");
  }
}

void ServeWorkers::awaitReady(Worker& w) {
  std::optional<std::string> hello;
  if (waitFor(w.fromChild, POLLIN, Clock::now() + kStartLimit)) hello = readFrame(w.fromChild);
  if (hello && *hello == kReady) return;
  if (hello && hello->rfind(kDependencyPrefix, 0) == 0) {
    end(w, true);
    throw noticescan::DependencyError(hello->substr(std::strlen(kDependencyPrefix)));
  }
  const std::string how = end(w, true);
  throw std::runtime_error("a scanner process " + how + " as it started");
}

std::string ServeWorkers::end(Worker& w, bool kill) {
  if (w.pid < 0) return "was not running";
  if (kill) ::kill(w.pid, SIGKILL);
  ::close(w.toChild);
  ::close(w.fromChild);
  const pid_t pid = w.pid;
  w = Worker{};
  return reap(pid);
}

void ServeWorkers::restart(Worker& w) {
  try {
    spawn(w);
    awaitReady(w);
  } catch (const std::exception&) {
    // Left stopped: the next request on this slot tries again, and says why if it cannot.
  }
}

std::optional<ServeAnswer> ServeWorkers::scan(const ServeJob& job) {
  std::size_t index = 0;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (free_.empty() && waiting_ >= queue_) return std::nullopt;
    ++waiting_;
    ready_.wait(lock, [&] { return !free_.empty(); });
    --waiting_;
    index = free_.back();
    free_.pop_back();
  }
  ServeAnswer answer;
  try {
    answer = run(workers_[index], job);
  } catch (const std::exception& e) {
    answer = {500, dump(errorBody("internal", e.what()))};
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    free_.push_back(index);
  }
  ready_.notify_one();
  return answer;
}

ServeAnswer ServeWorkers::run(Worker& w, const ServeJob& job) {
  if (w.pid < 0) {  // lost earlier and not restarted then
    spawn(w);
    awaitReady(w);
  }
  const std::string header = json{{"name", job.name},
                                  {"include_access_code", job.includeAccessCode},
                                  {"min_confidence", job.minConfidence},
                                  {"preview_long_side", job.previewLongSide},
                                  {"redact", job.redact}}
                                 .dump(-1, ' ', false, json::error_handler_t::replace);
  const auto started = Clock::now();
  std::optional<Clock::time_point> deadline;
  if (hardLimitMs_ > 0) deadline = started + std::chrono::milliseconds(hardLimitMs_);
  std::optional<std::string> frame;
  if (writeFrame(w.toChild, header, deadline) && writeFrame(w.toChild, job.bytes, deadline) &&
      waitFor(w.fromChild, POLLIN, deadline)) {
    frame = readFrame(w.fromChild);
  }
  const bool timedOut = !frame && deadline && Clock::now() >= *deadline;
  std::optional<ServeAnswer> answer;
  if (frame) answer = parseAnswer(*frame);
  if (answer) {
    if (++w.jobsDone >= kRecycleAfter) {
      end(w, false);  // its input closes: it finishes and exits
      restart(w);
    }
    return *answer;
  }
  // The worker is lost: say why, and start another for the next request.
  const std::string how = end(w, true);
  ServeAnswer lost;
  if (timedOut) {
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    lost = {504, dump(errorBody("timeout", "scanning did not finish within the time limit (stopped after " +
                                               std::to_string(static_cast<int>(seconds)) + " s)"))};
  } else {
    lost = {500, dump(errorBody("internal", "the scanner " + how +
                                                " while reading this file; the server goes on with a new one"))};
  }
  restart(w);
  return lost;
}

int runServeWorker() {
  // The server decides when its workers stop (by closing their input); a Ctrl-C on its terminal
  // reaches the whole process group.
  ::signal(SIGINT, SIG_IGN);
  ::signal(SIGTERM, SIG_IGN);
  const std::optional<std::string> settingsFrame = readFrame(kJobFd);
  if (!settingsFrame) {
    std::fputs("noticescan serve-worker: started by `noticescan serve` only\n", stderr);
    return kExitUsage;
  }
  noticescan::ScanOptions options;
  try {
    const json settings = json::parse(*settingsFrame);
    options.tessdataDir = settings.at("tessdata").get<std::string>();
    options.language = settings.at("language").get<std::string>();
    options.maxInputBytes = settings.at("max_input_bytes").get<std::uint64_t>();
    options.maxPixelsPerPage = settings.at("max_pixels_per_page").get<std::uint64_t>();
    options.maxPages = settings.at("max_pages").get<int>();
    options.timeLimitMs = settings.at("time_limit_ms").get<int>();
  } catch (const json::exception&) {
    return kExitUsage;
  }
  noticescan::Scanner scanner(options);
  try {
    scanner.prepare();
  } catch (const noticescan::DependencyError& e) {
    writeFrame(kAnswerFd, std::string(kDependencyPrefix) + e.what());
    return kExitMissingDependency;
  }
  if (!writeFrame(kAnswerFd, kReady)) return kExitOk;
  for (;;) {
    const std::optional<std::string> header = readFrame(kJobFd);
    if (!header) return kExitOk;  // the server closed our input: it is done with us
    std::optional<std::string> bytes = readFrame(kJobFd);
    if (!bytes) return kExitOk;
    std::string answer;
    try {
      const json job = json::parse(*header);
      scanner.setIncludeAccessCode(job.at("include_access_code").get<bool>());
      scanner.setMinConfidence(job.at("min_confidence").get<double>());
      scanner.setPreviewLongSide(job.at("preview_long_side").get<int>());
      const noticescan::ScanResult result = scanner.scanBytes(*bytes, job.at("name").get<std::string>());
      bytes.reset();
      noticescan::report::ReportOptions reportOptions;
      reportOptions.redact = job.at("redact").get<bool>();
      answer = answerFrame(result.ok() ? 200 : statusFor(result.error->code),
                           dump(noticescan::report::toJson(result, reportOptions)));
    } catch (const std::exception& e) {
      answer = answerFrame(500, dump(errorBody("internal", e.what())));
    }
    if (!writeFrame(kAnswerFd, answer)) return kExitOk;
  }
}

}  // namespace cli
