#include "noticescan/batch/Batch.h"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <unordered_map>

#include "noticescan/Version.h"
#include "noticescan/batch/Store.h"
#include "noticescan/batch/Workers.h"
#include "noticescan/extract/Models.h"
#include "noticescan/load/Format.h"
#include "noticescan/util/Sha256.h"

namespace noticescan::batch {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

constexpr const char* kNoSuchInput = "no such file or folder";

/// A file found under the inputs.
struct Found {
  std::string path;      ///< as it will be opened and recorded
  std::string shardKey;  ///< path relative to the input it was found under
};

std::vector<Found> walk(const std::vector<fs::path>& inputs, std::vector<std::pair<std::string, std::string>>& problems) {
  std::vector<Found> out;
  for (const fs::path& input : inputs) {
    std::error_code ec;
    const fs::file_status status = fs::status(input, ec);
    if (ec || !fs::exists(status)) {
      problems.emplace_back(input.string(), kNoSuchInput);
      continue;
    }
    if (fs::is_regular_file(status)) {
      out.push_back({input.string(), input.filename().string()});
      continue;
    }
    if (!fs::is_directory(status)) {
      problems.emplace_back(input.string(), "not a regular file or folder");
      continue;
    }
    // Symbolic links to folders are not followed: no loops, no file found twice by two routes.
    fs::recursive_directory_iterator it(input, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      std::error_code fileError;
      if (!it->is_regular_file(fileError)) continue;
      out.push_back({it->path().string(), fs::relative(it->path(), input, fileError).string()});
    }
    if (ec) problems.emplace_back(input.string(), "could not list the whole folder: " + ec.message());
  }
  std::sort(out.begin(), out.end(), [](const Found& a, const Found& b) { return a.path < b.path; });
  out.erase(std::unique(out.begin(), out.end(), [](const Found& a, const Found& b) { return a.path == b.path; }),
            out.end());
  return out;
}

std::optional<FileStamp> stampOf(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return FileStamp{static_cast<std::int64_t>(st.st_size),
                   static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}

/// One file to scan, and the other paths found with the same content.
struct Job {
  std::string path;
  FileStamp stamp;
  std::string sha256;
  std::vector<std::pair<std::string, FileStamp>> twins;
};

/// The result recorded for a file the worker could not finish.
json failureResult(const Job& job, const Outcome& outcome) {
  json result;
  result["schema_version"] = kSchemaVersion;
  result["file"] = job.path;
  result["sha256"] = job.sha256;
  result["status"] = "error";
  result["error"] = {{"code", outcome.kind == Outcome::Kind::Timeout ? "timeout" : "internal"},
                     {"message", outcome.message}};
  result["document"] = nullptr;
  for (const char* key : {"fields", "withheld_fields", "pages", "warnings"}) result[key] = json::array();
  result["timings_ms"] = {{"total", static_cast<std::int64_t>(outcome.seconds * 1000)}};
  return result;
}

}  // namespace

std::string optionsKey(const ScanOptions& options) {
  // The models are compiled in: their text is part of what decides results.
  std::string models;
  for (const char* name : {"receipt_prefixes", "labels", "form_types", "calibration"}) {
    models += extract::embeddedModel(name);
  }
  std::ostringstream key;
  key << "noticescan " << kVersion << "; lang " << options.language << "; reread " << options.reread << "; barcodes "
      << options.barcodes << "; access_code " << options.includeAccessCode << "; calibrated " << options.calibrate
      << "; min_confidence " << options.minConfidence << "; models " << util::sha256Hex(models).substr(0, 12);
  return key.str();
}

bool inShard(const std::string& path, int k, int n) {
  // FNV-1a: stable across machines and runs, unlike std::hash.
  std::uint64_t h = 1469598103934665603ull;
  for (const unsigned char c : path) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return static_cast<int>(h % static_cast<std::uint64_t>(n)) == k - 1;
}

BatchSummary runBatch(const BatchOptions& options, const std::function<void(const Progress&)>& progress,
                      const std::atomic<bool>* interrupted) {
  const auto start = Clock::now();
  BatchSummary summary;
  Store store(options.store);
  const std::string key = optionsKey(options.scan);

  std::vector<std::pair<std::string, std::string>> problems;
  std::vector<Found> found = walk(options.inputs, problems);
  for (const auto& [path, reason] : problems) {
    store.recordSkipped(path, reason, reason == kNoSuchInput ? "not_found" : "unreadable");
    ++summary.failed;
  }
  if (options.shard) {
    std::erase_if(found, [&](const Found& f) { return !inShard(f.shardKey, options.shard->first, options.shard->second); });
  }
  summary.found = found.size();

  // Plan: what the store already has is left alone; identical files are scanned once.
  std::vector<Job> jobs;
  std::unordered_map<std::string, std::size_t> jobBySha;
  for (const Found& f : found) {
    if (interrupted && interrupted->load()) break;
    const std::optional<FileStamp> stamp = stampOf(f.path);
    if (!stamp) {
      store.recordSkipped(f.path, "the file cannot be read", "unreadable");
      ++summary.failed;
      continue;
    }
    if (store.knownFile(f.path, *stamp, key)) {
      ++summary.known;
      continue;
    }
    if (static_cast<std::uint64_t>(stamp->size) > options.scan.maxInputBytes) {
      store.recordSkipped(f.path, "the file is larger than the limit of " +
                                      std::to_string(options.scan.maxInputBytes >> 20) + " MiB", "too_large");
      ++summary.failed;
      continue;
    }
    std::ifstream in(f.path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in || in.bad()) {
      store.recordSkipped(f.path, "the file cannot be read (check its permissions)", "unreadable");
      ++summary.failed;
      continue;
    }
    const std::string content = bytes.str();
    if (load::sniffFormat(content) == load::Format::Unknown) {
      store.recordSkipped(f.path, content.empty() ? "an empty file" : "not an image or PDF (recognised by content)");
      ++summary.skipped;
      continue;
    }
    const std::string sha = util::sha256Hex(content);
    if (store.hasDocument(sha, key)) {
      // Touched but not changed (same content at the same path), or a copy of a stored document.
      const bool same = store.recordedSha(f.path) == sha;
      store.recordFile(f.path, *stamp, sha, key);
      ++(same ? summary.known : summary.duplicates);
      continue;
    }
    if (const auto twin = jobBySha.find(sha); twin != jobBySha.end()) {
      jobs[twin->second].twins.emplace_back(f.path, *stamp);
      ++summary.duplicates;
      continue;
    }
    jobBySha.emplace(sha, jobs.size());
    jobs.push_back({f.path, *stamp, sha, {}});
  }

  // Largest first: the big multi-page files are not left for the end, when one worker would scan
  // one while the others have nothing left (file size stands in for the work).
  std::stable_sort(jobs.begin(), jobs.end(), [](const Job& a, const Job& b) { return a.stamp.size > b.stamp.size; });
  std::vector<std::string> paths;
  for (const Job& job : jobs) paths.push_back(job.path);
  Progress now;
  now.toScan = jobs.size();
  const auto report = [&] {
    now.elapsedSeconds = std::chrono::duration<double>(Clock::now() - start).count();
    progress(now);
  };
  PoolOptions pool;
  pool.workers = options.jobs;
  pool.scan = options.scan;
  pool.timeout = options.timeout;
  runPool(
      paths, pool,
      [&](std::size_t index, const Outcome& outcome) {
        const Job& job = jobs[index];
        json result;
        if (outcome.kind == Outcome::Kind::Scanned) {
          result = json::parse(outcome.json, nullptr, false);
          if (result.is_discarded() || !result.contains("sha256") || !result["sha256"].is_string()) {
            Outcome broken = outcome;
            broken.kind = Outcome::Kind::Crashed;
            broken.message = "the scanner's answer could not be read";
            result = failureResult(job, broken);
          }
        } else {
          result = failureResult(job, outcome);
        }
        // The worker read the file again: if it changed in between, its hash is the one that counts.
        store.recordScan(job.path, job.stamp, key, result);
        for (const auto& [path, stamp] : job.twins) store.recordFile(path, stamp, result["sha256"].get<std::string>(), key);
        ++summary.scanned;
        ++now.scanned;
        if (result.value("status", std::string()) != "ok") {
          ++summary.failed;
          ++now.failed;
        }
        for (const json& f : result.value("fields", json::array())) ++summary.identifiers[f.value("type", std::string("?"))];
        summary.withheld += result.value("withheld_fields", json::array()).size();
      },
      report, interrupted);
  summary.interrupted = interrupted && interrupted->load();
  summary.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  report();
  return summary;
}

}  // namespace noticescan::batch
