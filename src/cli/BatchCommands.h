#pragma once
// The bulk-import commands of the command line: batch, export, merge (src/noticescan/batch/).

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "Limits.h"
#include "noticescan/Scanner.h"

namespace cli {

struct BatchCommand {
  std::vector<std::string> inputs;
  std::string out = "noticescan.db";
  int jobs = 0;  ///< 0: one per core
  double timeoutSeconds = 300;
  std::string shard;  ///< "K/N"
  bool resume = false;
  bool noReread = false;
  bool fullPage = false;
  bool noBarcodes = false;
  bool includeAccessCode = false;
  double minConfidence = noticescan::ScanOptions{}.minConfidence;
  std::string tessdata;
  std::string language = "eng";
  Limits limits;
};

struct ExportCommand {
  std::string db;
  std::string format = "jsonl";
  bool redact = false;
};

struct MergeCommand {
  std::string out;
  std::vector<std::string> stores;
};

/// Adds the three subcommands to `app`, filling the structs when parsed.
void addBatchCommands(CLI::App& app, BatchCommand& batch, ExportCommand& exportCmd, MergeCommand& merge,
                      CLI::App*& batchApp, CLI::App*& exportApp, CLI::App*& mergeApp);

int runBatch(const BatchCommand& cmd);
int runExport(const ExportCommand& cmd);
int runMerge(const MergeCommand& cmd);

}  // namespace cli
