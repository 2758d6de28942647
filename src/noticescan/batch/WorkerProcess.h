#pragma once
// batch/: what the parent of noticescan's worker processes (`batch`, `serve`) and the workers
// share. Messages on the pipes between them are frames: a 4-byte little-endian length, then that
// many bytes. Reads and writes are retried on EINTR; a closed pipe or a worker that died gives
// false / nullopt.

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace noticescan::batch {

/// Writes one frame; false when the other end is gone (the caller must ignore SIGPIPE) or, on a
/// non-blocking descriptor, when the reader has not taken it all by `deadline`.
bool writeFrame(int fd, std::string_view payload,
                std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt);
/// Reads one frame; nullopt at the end of the input or on a torn frame.
std::optional<std::string> readFrame(int fd);

/// Waits until `fd` is ready for `events` (POLLIN, POLLOUT); false once `deadline` has passed
/// (none: waits as long as it takes) or on a poll error.
bool waitFor(int fd, short events, std::optional<std::chrono::steady_clock::time_point> deadline);

/// Waits for the child `pid` to end and says how, for a person: "stopped on signal 11
/// (Segmentation fault)" or "exited with status 3".
std::string reap(pid_t pid);

}  // namespace noticescan::batch
