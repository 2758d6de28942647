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
  double timeoutSeconds = 60;  ///< a scan still running after this gets 504; 0: no limit
  std::string tessdata;
  std::string language = "eng";
  Limits limits;  ///< its input size is --max-body-mib
};

void addServeCommand(CLI::App& app, ServeCommand& serve, CLI::App*& serveApp);
int runServe(const ServeCommand& cmd);

}  // namespace cli
