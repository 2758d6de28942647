#pragma once
// The resource limits every scanning subcommand takes (scan, batch, serve), with ScanOptions'
// defaults. Exceeding one gives the error code too_large for that file; a batch goes on.

#include <cstdint>

#include <CLI/CLI.hpp>

#include "noticescan/Scanner.h"

namespace cli {

struct Limits {
  double maxInputMiB = static_cast<double>(noticescan::ScanOptions{}.maxInputBytes >> 20);
  double maxMegapixels = static_cast<double>(noticescan::ScanOptions{}.maxPixelsPerPage) / 1e6;
  int maxPages = noticescan::ScanOptions{}.maxPages;
  /// In-process time limit per file (ScanOptions::timeLimitMs); 0: none. `batch` has its own,
  /// hard one instead.
  double timeoutSeconds = 0;
};

/// Adds --max-megapixels and --max-pages, --max-input-mib unless the command has its own size
/// limit (serve's --max-body-mib), and --timeout (explained by `timeoutHelp`) unless it is null.
inline void addLimitOptions(CLI::App* app, Limits& limits, bool inputSize, const char* timeoutHelp) {
  if (inputSize) {
    app->add_option("--max-input-mib", limits.maxInputMiB, "Larger files are refused with too_large")
        ->check(CLI::Range(0.001, 65536.0))
        ->capture_default_str();
  }
  app->add_option("--max-megapixels", limits.maxMegapixels,
                  "Pages with more pixels are refused with too_large, read from the header before decoding")
      ->check(CLI::Range(0.01, 10000.0))
      ->capture_default_str();
  app->add_option("--max-pages", limits.maxPages, "Documents with more pages are refused with too_large")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  if (timeoutHelp) {
    app->add_option("--timeout", limits.timeoutSeconds, timeoutHelp)
        ->check(CLI::Range(0.0, 86400.0))
        ->capture_default_str();
  }
}

inline void applyLimits(const Limits& limits, noticescan::ScanOptions& options) {
  options.maxInputBytes = static_cast<std::uint64_t>(limits.maxInputMiB * 1024 * 1024);
  options.maxPixelsPerPage = static_cast<std::uint64_t>(limits.maxMegapixels * 1e6);
  options.maxPages = limits.maxPages;
  options.timeLimitMs = static_cast<int>(limits.timeoutSeconds * 1000);
}

}  // namespace cli
