#pragma once
// Exit codes of the command line's contract (DESIGN.md), shared by every subcommand.

namespace cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitUsage = 1,
  kExitInputFailed = 2,
  kExitMissingDependency = 3,
  kExitInternal = 4,
  kExitInterrupted = 130,  ///< batch stopped by SIGINT/SIGTERM: run it again to resume
};

}  // namespace cli
