#pragma once
// `noticescan serve`: the scanner over HTTP for apps and scripts (POST /v1/scan).

#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include "Limits.h"

namespace cli {

struct ServeCommand {
  std::string bind = "127.0.0.1";
  int port = 8080;
  int jobs = 0;           ///< scanners working at once; 0: one per core
  int queue = 16;         ///< requests that may wait for a scanner before 503
  int maxBodyMiB = 64;    ///< larger uploads get 413
  std::string tessdata;
  std::string language = "eng";
  /// Its input size is --max-body-mib; a scan still running after its timeout gets 504.
  Limits limits{.timeoutSeconds = 60};
};

void addServeCommand(CLI::App& app, ServeCommand& serve, CLI::App*& serveApp);
int runServe(const ServeCommand& cmd);
/// The hidden `serve-worker` subcommand the server starts its worker processes with (ServeWorkers.h).
void addServeWorkerCommand(CLI::App& app, CLI::App*& workerApp);

}  // namespace cli
