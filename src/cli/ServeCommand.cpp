#include "ServeCommand.h"

#include "ExitCodes.h"
#include "Log.h"
#include "ServeWorkers.h"
#include "WebAssets.h"

#include <malloc.h>
#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "noticescan/Scanner.h"
#include "noticescan/Version.h"
#include "noticescan/load/Format.h"

namespace cli {
namespace {

using json = nlohmann::ordered_json;

httplib::Server* gServer = nullptr;
extern "C" void onStop(int) {
  if (gServer) gServer->stop();
}

void sendJson(httplib::Response& res, const ServeAnswer& answer) {
  res.status = answer.status;
  res.set_header("Cache-Control", "no-store");  // answers hold the numbers: no cache keeps them
  res.set_content(answer.body, "application/json");
}

void sendJson(httplib::Response& res, int status, const json& body) {
  sendJson(res, ServeAnswer{status, body.dump(-1, ' ', false, json::error_handler_t::replace)});
}

bool flag(const httplib::Request& req, const char* name) {
  if (!req.has_param(name)) return false;
  const std::string v = req.get_param_value(name);
  return v.empty() || v == "1" || v == "true" || v == "yes";
}

/// Long side of the page pictures returned with preview=1, in pixels: enough to see where each
/// number is on a phone or a laptop screen, small enough to send quickly (about 100-250 KB).
constexpr int kPreviewLongSide = 1200;

/// The page at / and its script and style. The policy keeps it from loading or sending anything
/// anywhere but this server, and pictures only from the answer's data: URLs.
void serveWebAsset(const cli::WebAsset& asset, httplib::Response& res) {
  res.set_header("Content-Security-Policy",
                 "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
                 "connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("Cache-Control", "no-cache");
  res.set_content(std::string(asset.body), std::string(asset.contentType));
}

}  // namespace

void addServeCommand(CLI::App& app, ServeCommand& serve, CLI::App*& serveApp) {
  serveApp = app.add_subcommand("serve", "Answer POST /v1/scan over HTTP with the same JSON as scan");
  serveApp->add_option("--bind", serve.bind, "Address to listen on (loopback unless you say otherwise)")
      ->capture_default_str();
  serveApp->add_option("--port", serve.port, "TCP port (0: any free port, printed at start)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  serveApp->add_option("--jobs", serve.jobs, "Scans at once, each in its own worker process (default: one per core)")
      ->check(CLI::Range(1, 256));
  serveApp->add_option("--queue", serve.queue, "Requests that may wait for a free scanner before 503")
      ->check(CLI::Range(0, 10000))
      ->capture_default_str();
  serveApp->add_option("--max-body-mib", serve.maxBodyMiB, "Largest upload; larger ones get 413")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  addLimitOptions(serveApp, serve.limits, false,
                  "Answer 504 when a scan takes longer than this many seconds (0: no limit)");
  addLogValuesFlag(serveApp);
  serveApp->add_option("--tessdata", serve.tessdata, "Tesseract data directory (default: Tesseract's own)");
  serveApp->add_option("--lang", serve.language, "Tesseract language")->capture_default_str();
  serveApp->footer(
      "\nEndpoints: GET / (a page for people: pick or drop a file, see and copy the numbers),\n"
      "POST /v1/scan (the file as the body, or multipart/form-data field \"file\"; query redact=1,\n"
      "include_access_code=1, preview=1, min_confidence=0.5), GET /healthz, GET /v1/version.\n"
      "Example: noticescan serve --port 8080 & curl --data-binary @notice.pdf localhost:8080/v1/scan");
}

void addServeWorkerCommand(CLI::App& app, CLI::App*& workerApp) {
  workerApp = app.add_subcommand("serve-worker", "Scans for `noticescan serve` in a process of its own");
  workerApp->group("");  // not in --help: only the server starts it
}

int runServe(const ServeCommand& cmd) {
  const int jobs = cmd.jobs > 0 ? cmd.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  // glibc gives each thread that allocates its own arena and keeps what was freed in it; the
  // uploads are held by a thread per connection here (the scans are in the workers).
  ::mallopt(M_ARENA_MAX, jobs + 2);
  // A worker lost while its job is written to must give an error, not end the server.
  ::signal(SIGPIPE, SIG_IGN);
  noticescan::ScanOptions options;
  options.tessdataDir = cmd.tessdata;
  options.language = cmd.language;
  applyLimits(cmd.limits, options);
  options.maxInputBytes = static_cast<std::uint64_t>(cmd.maxBodyMiB) << 20;
  ServeWorkers workers(jobs, cmd.queue, options);

  httplib::Server server;
  // Connections beyond the scanners wait in the pool's queue; a few more threads answer
  // /healthz and the 503s while every scanner is busy.
  const int threads = jobs + cmd.queue + 4;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
  server.set_payload_max_length(static_cast<std::size_t>(cmd.maxBodyMiB) << 20);
  server.set_error_handler([&](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    // Debian's cpp-httplib is built to take at most 8 KiB of a form-encoded body, which is what
    // `curl --data-binary` sends unless told otherwise.
    if (res.status == 413 && req.get_header_value("Content-Type") == "application/x-www-form-urlencoded") {
      sendJson(res, 413, errorBody("too_large", "send the file with its own Content-Type (application/pdf, image/jpeg, "
                                                "application/octet-stream...) or as multipart/form-data: "
                                                "form-encoded bodies are limited to 8 KiB"));
    } else if (res.status == 413) {
      sendJson(res, 413, errorBody("too_large", "the upload is larger than the limit of " +
                                                    std::to_string(cmd.maxBodyMiB) + " MiB"));
    } else {
      sendJson(res, res.status, errorBody(res.status == 404 ? "not_found" : "bad_request",
                                          std::string("HTTP ") + std::to_string(res.status)));
    }
  });
  // One line per request, never its content or what was found in it.
  server.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    std::size_t in = req.body.size();  // a multipart upload's parts are in req.files instead
    for (const auto& [name, part] : req.files) in += part.content.size();
    std::fprintf(stderr, "noticescan serve: %s %s %d %zu bytes in, %zu bytes out\n", req.method.c_str(),
                 forLog(req.path).c_str(), res.status, in, res.body.size());
  });

  for (const char* path : {"/", "/app.js", "/style.css"}) {
    server.Get(path, [](const httplib::Request& req, httplib::Response& res) {
      serveWebAsset(*findWebAsset(req.path), res);
    });
  }
  server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) { sendJson(res, 200, {{"status", "ok"}}); });
  server.Get("/v1/version", [](const httplib::Request&, httplib::Response& res) {
    sendJson(res, 200, {{"name", "noticescan"}, {"version", noticescan::kVersion}, {"schema_version", noticescan::kSchemaVersion}});
  });
  server.Post("/v1/scan", [&](const httplib::Request& req, httplib::Response& res) {
    std::string name = "upload";
    const std::string* body = &req.body;
    httplib::MultipartFormData part;
    if (req.is_multipart_form_data()) {
      if (!req.has_file("file")) {
        sendJson(res, 422, errorBody("bad_request", "a multipart upload needs its file in the field \"file\""));
        return;
      }
      part = req.get_file_value("file");
      if (!part.filename.empty()) name = part.filename;
      body = &part.content;
    }
    if (body->empty()) {
      sendJson(res, 422, errorBody("unreadable", "the request has no file: send it as the body"));
      return;
    }
    if (noticescan::load::sniffFormat(*body) == noticescan::load::Format::Unknown) {
      sendJson(res, 415, errorBody("unsupported_format", "not an image or PDF that noticescan reads"));
      return;
    }
    const bool preview = flag(req, "preview");
    const bool redact = flag(req, "redact");
    if (preview && redact) {
      sendJson(res, 422, errorBody("bad_request", "preview shows the whole page, values included: it cannot be "
                                                  "combined with redact"));
      return;
    }
    ServeJob job;
    if (req.has_param("min_confidence")) {
      const std::string text = req.get_param_value("min_confidence");
      char* end = nullptr;
      const double value = std::strtod(text.c_str(), &end);
      if (text.empty() || end != text.c_str() + text.size() || !(value >= 0 && value <= 1)) {
        sendJson(res, 422, errorBody("bad_request", "min_confidence must be a number from 0 to 1"));
        return;
      }
      job.minConfidence = value;
    }
    job.bytes = *body;
    job.name = name;
    job.includeAccessCode = flag(req, "include_access_code");
    job.previewLongSide = preview ? kPreviewLongSide : 0;
    job.redact = redact;
    const std::optional<ServeAnswer> answer = workers.scan(job);
    if (!answer) {
      res.set_header("Retry-After", "5");
      sendJson(res, 503, errorBody("busy", "every scanner is busy and the queue is full: try again shortly"));
      return;
    }
    sendJson(res, *answer);
  });

  const int port = cmd.port == 0 ? server.bind_to_any_port(cmd.bind) : (server.bind_to_port(cmd.bind, cmd.port) ? cmd.port : -1);
  if (port < 0) {
    std::cerr << "noticescan: cannot listen on " << cmd.bind << ":" << cmd.port << " (in use, or not an address here)\n";
    return kExitUsage;
  }
  std::cerr << "noticescan serve: listening on http://" << cmd.bind << ":" << port << " with " << jobs << " scanners\n"
            << std::flush;
  gServer = &server;
  struct sigaction action {};
  action.sa_handler = onStop;
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
  server.listen_after_bind();
  gServer = nullptr;
  std::cerr << "noticescan serve: stopped\n";
  return kExitOk;
}

}  // namespace cli
