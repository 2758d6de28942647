#include "BatchCommands.h"

#include "Log.h"

#include "ExitCodes.h"

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <set>
#include <thread>

#include "noticescan/batch/Batch.h"
#include "noticescan/batch/Store.h"
#include "noticescan/batch/Workers.h"
#include "noticescan/report/Report.h"

namespace cli {
namespace {


std::atomic<bool> gInterrupted{false};
extern "C" void onInterrupt(int) { gInterrupted = true; }

std::string duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const long s = std::lround(seconds);
  char out[32];
  if (s >= 3600) {
    std::snprintf(out, sizeof out, "%ldh%02ldm", s / 3600, (s % 3600) / 60);
  } else {
    std::snprintf(out, sizeof out, "%ldm%02lds", s / 60, s % 60);
  }
  return out;
}

/// Progress on stderr: one line redrawn in place on a terminal, a plain line every 15 s otherwise.
class ProgressLine {
 public:
  ProgressLine() : terminal_(::isatty(STDERR_FILENO) != 0) {}
  void operator()(const noticescan::batch::Progress& p) {
    if (p.toScan == 0) return;  // nothing to scan: the summary says so
    const double rate = p.elapsedSeconds > 0 ? static_cast<double>(p.scanned) / p.elapsedSeconds : 0;
    const double eta = rate > 0 ? static_cast<double>(p.toScan - p.scanned) / rate : NAN;
    char line[160];
    std::snprintf(line, sizeof line, "%zu/%zu files, %.2f files/s, ETA %s, %zu failed", p.scanned, p.toScan, rate,
                  duration(eta).c_str(), p.failed);
    if (terminal_) {
      std::cerr << "\r" << line << "   " << std::flush;
      drawn_ = true;
    } else if (p.elapsedSeconds - lastPlain_ >= 15 || (p.scanned == p.toScan && !finalShown_)) {
      std::cerr << "noticescan batch: " << line << "\n";
      lastPlain_ = p.elapsedSeconds;
      finalShown_ = p.scanned == p.toScan;
    }
  }
  void finish() {
    if (drawn_) std::cerr << "\n";
  }

 private:
  bool terminal_;
  bool drawn_ = false;
  bool finalShown_ = false;
  double lastPlain_ = -1e9;
};

long peakRssMiB(int who) {
  rusage usage{};
  ::getrusage(who, &usage);
  return usage.ru_maxrss / 1024;  // kilobytes on Linux
}

}  // namespace

void addBatchCommands(CLI::App& app, BatchCommand& batch, ExportCommand& exportCmd, MergeCommand& merge,
                      CLI::App*& batchApp, CLI::App*& exportApp, CLI::App*& mergeApp) {
  batchApp = app.add_subcommand(
      "batch", "Scan every document under files and folders into a store (SQLite), in parallel, resumably");
  batchApp->add_option("paths", batch.inputs, "Files and folders (walked recursively; documents found by content)")
      ->required();
  batchApp->add_option("--out", batch.out, "The store to write (created if missing; run again to resume)")
      ->capture_default_str();
  batchApp->add_option("--jobs", batch.jobs, "Worker processes (default: one per core)")->check(CLI::Range(1, 256));
  batchApp->add_option("--timeout", batch.timeoutSeconds, "Seconds one file may take before it is stopped")
      ->check(CLI::Range(0.1, 86400.0))
      ->capture_default_str();
  addLimitOptions(batchApp, batch.limits, true, nullptr);  // its --timeout is the hard one above
  addLogValuesFlag(batchApp);
  batchApp->add_option("--shard", batch.shard,
                       "K/N: take only the K-th of N shares of the inputs (by path), for several machines")
      ->check([](const std::string& text) {
        int k = 0, n = 0;
        char end = 0;
        if (std::sscanf(text.c_str(), "%d/%d%c", &k, &n, &end) != 2 || n < 1 || k < 1 || k > n) {
          return std::string("expected K/N with 1 <= K <= N");
        }
        return std::string();
      });
  batchApp->add_flag("--resume", batch.resume,
                     "Continue a stopped batch (the default anyway: what the store holds is never scanned again)");
  batchApp->add_flag("--no-reread", batch.noReread, "As in scan");
  batchApp->add_flag("--full-page", batch.fullPage, "As in scan");
  batchApp->add_flag("--no-barcodes", batch.noBarcodes, "As in scan");
  batchApp->add_flag("--include-access-code", batch.includeAccessCode, "As in scan: store online access codes too");
  batchApp->add_option("--min-confidence", batch.minConfidence, "As in scan")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  batchApp->add_option("--tessdata", batch.tessdata, "Tesseract data directory (default: Tesseract's own)");
  batchApp->add_option("--lang", batch.language, "Tesseract language")->capture_default_str();
  batchApp->footer(
      "\nExit codes: 0 every document scanned, 2 some input failed (recorded in the store), 3 missing\n"
      "dependency, 4 internal error, 130 interrupted (run the same command again to resume).\n"
      "Example: noticescan batch ~/scans --out cases.db && noticescan export --db cases.db --format csv");

  exportApp = app.add_subcommand("export", "Print what a store holds (also while a batch writes to it)");
  exportApp->add_option("--db", exportCmd.db, "The store")->required();
  exportApp->add_option("--format", exportCmd.format, "jsonl (one result per file), csv, or receipts")
      ->check(CLI::IsMember({"jsonl", "csv", "receipts"}))
      ->capture_default_str();
  exportApp->add_flag("--redact", exportCmd.redact, "Mask identifier values except their last four characters");

  mergeApp = app.add_subcommand("merge", "Combine stores (e.g. one per shard) into one, without duplicates");
  mergeApp->add_option("out", merge.out, "The store to merge into (created if missing)")->required();
  mergeApp->add_option("stores", merge.stores, "Stores to take records from")->required();
  addLogValuesFlag(mergeApp);
  addLogValuesFlag(exportApp);
}

int runBatch(const BatchCommand& cmd) {
  noticescan::batch::BatchOptions options;
  for (const std::string& input : cmd.inputs) options.inputs.emplace_back(input);
  options.store = cmd.out;
  options.jobs = cmd.jobs > 0 ? cmd.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  options.timeout = std::chrono::milliseconds(static_cast<long long>(cmd.timeoutSeconds * 1000));
  applyLimits(cmd.limits, options.scan);
  options.scan.tessdataDir = cmd.tessdata;
  options.scan.language = cmd.language;
  options.scan.reread = !cmd.noReread;
  options.scan.headerFirst = !cmd.fullPage;
  options.scan.barcodes = !cmd.noBarcodes;
  options.scan.includeAccessCode = cmd.includeAccessCode;
  options.scan.minConfidence = cmd.minConfidence;
  if (!cmd.shard.empty()) {
    int k = 0, n = 0;
    std::sscanf(cmd.shard.c_str(), "%d/%d", &k, &n);
    options.shard = std::make_pair(k, n);
  }

  struct sigaction action {};
  action.sa_handler = onInterrupt;
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);

  ProgressLine progress;
  noticescan::batch::BatchSummary s;
  try {
    s = noticescan::batch::runBatch(options, std::ref(progress), &gInterrupted);
  } catch (const noticescan::batch::StoreError& e) {
    progress.finish();
    std::cerr << "noticescan: " << forLog(e.what()) << "\n";
    return kExitUsage;
  } catch (const noticescan::batch::PoolDependencyError& e) {
    progress.finish();
    std::cerr << "noticescan: " << forLog(e.what()) << "\n";
    return kExitMissingDependency;
  }
  progress.finish();

  std::string identifiers;
  for (const auto& [type, count] : s.identifiers) {
    identifiers += (identifiers.empty() ? "" : ", ") + std::to_string(count) + " " + type;
  }
  char rate[32];
  std::snprintf(rate, sizeof rate, "%.2f", s.seconds > 0 ? static_cast<double>(s.scanned) / s.seconds : 0.0);
  std::cerr << "\nnoticescan batch " << (s.interrupted ? "interrupted: run it again to continue" : "done") << "\n"
            << "  files found      " << s.found << "\n"
            << "  scanned          " << s.scanned << " (" << rate << " files/s)\n"
            << "  already stored   " << s.known << "\n"
            << "  duplicates       " << s.duplicates << " (same content as another file: scanned once)\n"
            << "  not documents    " << s.skipped << "\n"
            << "  failed           " << s.failed << "\n"
            << "  identifiers      " << (identifiers.empty() ? "none" : identifiers) << "\n"
            << "  withheld         " << s.withheld
            << (s.withheld > 0 ? " (read too uncertainly to report: export lists them under withheld_fields, "
                                 "to check against the paper)\n"
                               : "\n")
            << "  time             " << duration(s.seconds) << "\n"
            << "  peak memory      " << peakRssMiB(RUSAGE_CHILDREN) << " MiB per worker, " << peakRssMiB(RUSAGE_SELF)
            << " MiB this process\n"
            << "  store            " << forLog(cmd.out) << "\n";
  if (s.interrupted) return kExitInterrupted;
  return s.failed > 0 ? kExitInputFailed : kExitOk;
}

int runExport(const ExportCommand& cmd) {
  if (!std::filesystem::exists(cmd.db)) {
    std::cerr << "noticescan: no such store: " << forLog(cmd.db) << "\n";
    return kExitUsage;
  }
  noticescan::report::ReportOptions reportOptions;
  reportOptions.redact = cmd.redact;
  noticescan::batch::Store store(cmd.db);
  if (cmd.format == "csv") noticescan::report::writeCsvHeader(std::cout);
  std::set<std::string> receipts;  // receipts: each case once, however many notices or copies
  store.forEachResult([&](const nlohmann::ordered_json& stored) {
    if (cmd.format == "jsonl") {
      const noticescan::ScanResult result = noticescan::report::fromJson(stored);
      nlohmann::ordered_json out = stored;
      if (cmd.redact) {
        const nlohmann::ordered_json masked = noticescan::report::toJson(result, reportOptions);
        for (const char* key : {"fields", "withheld_fields"}) out[key] = masked[key];
      }
      std::cout << out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
    } else if (cmd.format == "csv") {
      noticescan::report::writeCsvRows(std::cout, noticescan::report::fromJson(stored), reportOptions);
    } else {
      for (const noticescan::Field& f : noticescan::report::fromJson(stored).fields) {
        if (f.type == noticescan::FieldType::ReceiptNumber) receipts.insert(f.value);
      }
    }
  });
  for (const std::string& r : receipts) std::cout << (cmd.redact ? noticescan::report::redactValue(r) : r) << "\n";
  std::cout.flush();
  return kExitOk;
}

int runMerge(const MergeCommand& cmd) {
  noticescan::batch::Store out(cmd.out);
  int added = 0;
  for (const std::string& other : cmd.stores) {
    const int n = out.merge(other);
    std::cerr << "noticescan merge: " << forLog(other) << ": " << n << " documents added\n";
    added += n;
  }
  const auto c = out.counts();
  std::cerr << "noticescan merge: " << forLog(cmd.out) << " holds " << c.documents << " documents at " << c.files
            << " paths (" << added << " added)\n";
  return kExitOk;
}

}  // namespace cli
