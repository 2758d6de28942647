#pragma once
// What the command line writes to stderr about files: their names may carry a receipt number or
// an A-number (firms name scans after their cases), so identifier-shaped runs are masked unless
// --log-values was given.

#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "noticescan/report/Report.h"

namespace cli {

inline bool& logValues() {
  static bool values = false;
  return values;
}

/// `text` as it may appear in a log line.
inline std::string forLog(std::string_view text) {
  return logValues() ? std::string(text) : noticescan::report::maskIdentifiers(text);
}

inline void addLogValuesFlag(CLI::App* app) {
  app->add_flag("--log-values", logValues(),
                "Let identifier values appear in messages and debug output (file names included); "
                "off, they are masked like --redact");
}

}  // namespace cli
