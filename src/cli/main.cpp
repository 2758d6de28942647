// noticescan command line: a thin shell over noticescan::Scanner.
#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <opencv2/core/utils/logger.hpp>

#include "BatchCommands.h"
#include "ExitCodes.h"
#include "Limits.h"
#include "Log.h"
#include "ServeCommand.h"
#include "ServeWorkers.h"
#include "noticescan/Scanner.h"
#include "noticescan/batch/Store.h"
#include "noticescan/Version.h"
#include "noticescan/report/Report.h"

namespace {

using namespace cli;  // exit codes (ExitCodes.h)

/// Tesseract's OpenMP threads oversubscribe small machines (a page took 8 s instead of 1.3 s on
/// 2 cores). libgomp reads OMP_THREAD_LIMIT when it is loaded, before main runs, so the only way to
/// set it from here is to set it and start again. A value the user set is respected.
void limitOpenMpThreads(char** argv) {
  if (std::getenv("OMP_THREAD_LIMIT") != nullptr) return;
  ::setenv("OMP_THREAD_LIMIT", "1", 1);
  ::execv("/proc/self/exe", argv);
  // exec failed (no /proc): carry on, only slower.
}

/// A photo's page passes through buffers of 12-150 MB (the decoded frame, its grey copy, the
/// flattened page, float images for the shake measure). glibc gives blocks over 32 MB their own
/// mapping and returns freed memory at the heap's top beyond 128 KB, so each such buffer was
/// mapped, faulted in page by page (zeroed by the kernel) and unmapped again: about a tenth of a
/// photo's time. Blocks under 256 MB now come from the heap, and up to 256 MB of freed memory is
/// kept for the next buffer; a worker's memory stays at its peak (about 170 MB on a photo).
void keepImageBuffers() {
#ifdef __GLIBC__
  constexpr int kKeep = 256 << 20;
  ::mallopt(M_MMAP_THRESHOLD, kKeep);
  ::mallopt(M_TRIM_THRESHOLD, kKeep);
#endif
}

struct ScanCommand {
  std::vector<std::string> files;
  bool jsonl = false;
  std::string format = "json";
  std::string debugDir;
  std::string tessdata;
  std::string language = "eng";
  bool redact = false;
  bool noReread = false;
  bool noBarcodes = false;
  bool fullPage = false;
  bool includeAccessCode = false;
  int pageThreads = 1;
  bool rawConfidence = false;
  double minConfidence = noticescan::ScanOptions{}.minConfidence;
  Limits limits;
};

int runScan(const ScanCommand& cmd) {
  noticescan::ScanOptions options;
  options.debugDir = cmd.debugDir;
  options.tessdataDir = cmd.tessdata;
  options.language = cmd.language;
  options.reread = !cmd.noReread;
  options.barcodes = !cmd.noBarcodes;
  options.headerFirst = !cmd.fullPage;
  options.includeAccessCode = cmd.includeAccessCode;
  options.pageThreads = cmd.pageThreads;
  options.calibrate = !cmd.rawConfidence;
  options.minConfidence = cmd.minConfidence;
  options.logValues = logValues();
  applyLimits(cmd.limits, options);
  noticescan::Scanner scanner(options);
  noticescan::report::ReportOptions reportOptions;
  reportOptions.redact = cmd.redact;

  const bool lines = cmd.format == "jsonl" || (cmd.format == "json" && (cmd.jsonl || cmd.files.size() > 1));
  const bool progress = cmd.files.size() > 1 && ::isatty(STDERR_FILENO);
  if (cmd.format == "csv") noticescan::report::writeCsvHeader(std::cout);

  bool anyFailed = false;
  for (std::size_t i = 0; i < cmd.files.size(); ++i) {
    const std::string& file = cmd.files[i];
    if (progress) std::cerr << "\r[" << i + 1 << "/" << cmd.files.size() << "] scanning..." << std::flush;
    noticescan::ScanResult result;
    if (file == "-") {
      const std::string bytes{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
      result = scanner.scanBytes(bytes, "-");
    } else {
      result = scanner.scanFile(file);
    }
    anyFailed = anyFailed || !result.ok();
    if (!result.ok()) std::cerr << "noticescan: " << forLog(file) << ": " << forLog(result.error->message) << "\n";
    // CSV and receipt lists carry no warnings: say there that values were held back.
    if (!result.withheld.empty() && (cmd.format == "csv" || cmd.format == "receipts")) {
      std::cerr << "noticescan: " << forLog(file) << ": " << result.withheld.size()
                << (result.withheld.size() == 1 ? " value was" : " values were")
                << " read too uncertainly to list here (the JSON output has them under withheld_fields)\n";
    }
    if (cmd.format == "csv") {
      noticescan::report::writeCsvRows(std::cout, result, reportOptions);
    } else if (cmd.format == "receipts") {
      noticescan::report::writeReceipts(std::cout, result, reportOptions);
    } else {
      const nlohmann::ordered_json json = noticescan::report::toJson(result, reportOptions);
      // File names may hold any bytes; JSON must be UTF-8: invalid bytes become U+FFFD.
      std::cout << (lines ? json.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
                          : noticescan::report::prettyJson(json))
                << "\n";
    }
    std::cout.flush();
  }
  if (progress) std::cerr << "\r" << std::string(40, ' ') << "\r";
  return anyFailed ? kExitInputFailed : kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  limitOpenMpThreads(argv);
  keepImageBuffers();
  // OpenCV's decoders warn on stderr about every damaged image; the JSON error says it better.
  cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_ERROR);

  CLI::App app{"noticescan: reads USCIS notices (photos, scans, PDFs) and prints the receipt numbers,\n"
               "A-numbers and USCIS online account numbers on them as JSON. Runs offline."};
  app.set_version_flag("--version", std::string("noticescan ") + noticescan::kVersion);
  app.require_subcommand(1);

  ScanCommand scan;
  CLI::App* scanApp = app.add_subcommand("scan", "Scan files and print what was found");
  scanApp->add_option("files", scan.files, "Images (JPEG, PNG, TIFF, WebP, BMP) or PDFs; - reads stdin")
      ->required();
  scanApp->add_flag("--jsonl", scan.jsonl, "One compact JSON object per line (default for several files)");
  scanApp->add_option("--format", scan.format, "Output format")
      ->check(CLI::IsMember({"json", "jsonl", "csv", "receipts"}))
      ->capture_default_str();
  scanApp->add_option("--debug-dir", scan.debugDir, "Write each page's intermediate images here");
  scanApp->add_flag("--redact", scan.redact, "Mask identifier values except their last four characters");
  scanApp->add_option("--tessdata", scan.tessdata, "Tesseract data directory (default: Tesseract's own)");
  scanApp->add_option("--lang", scan.language, "Tesseract language")->capture_default_str();
  scanApp->add_flag("--no-reread", scan.noReread,
                    "Do not read uncertain numbers, nor 98-line fax pages, a second time (faster, less accurate on poor images)");
  scanApp->add_flag("--no-barcodes", scan.noBarcodes,
                    "Do not read barcodes to check receipt numbers (only to measure what they bring)");
  scanApp->add_flag("--full-page", scan.fullPage,
                    "Read every page whole, even when its header already holds every identifier (slower; "
                    "by default the rest of a page is read only when it may hold more)");
  scanApp->add_flag("--include-access-code", scan.includeAccessCode,
                    "Also report the online access code of an Account Access Notice (a one-time login "
                    "secret: left out unless asked for)");
  scanApp->add_option("--page-threads", scan.pageThreads,
                      "Read the pages of a multi-page file on this many threads (one OCR engine each)")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  addLimitOptions(scanApp, scan.limits, true,
                  "Give up on a file after this many seconds with error code timeout (0: no limit)");
  addLogValuesFlag(scanApp);
  scanApp->add_option("--min-confidence", scan.minConfidence,
                      "Report a number only at this confidence or more; one read less surely goes under "
                      "withheld_fields, with a value_withheld warning (0: report every number)")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  scanApp->add_flag("--raw-confidence", scan.rawConfidence,
                    "Report the extractor's uncalibrated scores (what tools/calibrate.py fits on)");
  cli::BatchCommand batch;
  cli::ExportCommand exportCmd;
  cli::MergeCommand merge;
  CLI::App *batchApp = nullptr, *exportApp = nullptr, *mergeApp = nullptr;
  cli::addBatchCommands(app, batch, exportCmd, merge, batchApp, exportApp, mergeApp);
  cli::ServeCommand serve;
  CLI::App* serveApp = nullptr;
  cli::addServeCommand(app, serve, serveApp);
  CLI::App* serveWorkerApp = nullptr;
  cli::addServeWorkerCommand(app, serveWorkerApp);
  app.footer(
      "\nExit codes: 0 all files scanned (finding nothing is still 0), 1 usage error, 2 at least one\n"
      "input failed (its JSON has status \"error\"), 3 missing dependency or model, 4 internal error.\n"
      "Example: noticescan scan notice.jpg");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }

  try {
    if (*scanApp) return runScan(scan);
    if (*batchApp) return cli::runBatch(batch);
    if (*exportApp) return cli::runExport(exportCmd);
    if (*mergeApp) return cli::runMerge(merge);
    if (*serveApp) return cli::runServe(serve);
    if (*serveWorkerApp) return cli::runServeWorker();
  } catch (const noticescan::batch::StoreError& e) {
    std::cerr << "noticescan: " << forLog(e.what()) << "\n";
    return kExitUsage;
  } catch (const noticescan::DependencyError& e) {
    std::cerr << "noticescan: " << forLog(e.what()) << "\n";
    return kExitMissingDependency;
  } catch (const std::exception& e) {
    std::cerr << "noticescan: internal error: " << forLog(e.what()) << "\n";
    return kExitInternal;
  }
  return kExitUsage;
}
