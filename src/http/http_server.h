// An HTTP/1.1 server that a hostile network cannot starve or grow: on Boost.Beast and Asio,
// every connection is an asynchronous state machine on a few I/O threads, so clients that send
// slowly or not at all cost a socket, never a thread. Limits are enforced while reading:
// the request line and header size, the body size (Content-Length or chunked), a deadline for
// the whole header, one for the body and one for an idle keep-alive connection, and a cap on
// open connections past which new ones get 503. Handlers run on a separate worker pool and
// may block; file bodies are streamed from disk in chunks.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "http/http_message.h"
#include "scout/status.h"

namespace scout {

struct HttpLimits {
  size_t max_url_bytes = 8 * 1024;
  size_t max_header_bytes = 16 * 1024;  // the header fields, besides the request line
  size_t max_body_bytes = 64 * 1024;
  int header_timeout_seconds = 10;  // from the first byte of a request to its blank line
  int body_timeout_seconds = 30;
  int idle_timeout_seconds = 5;     // a keep-alive connection waiting for its next request
  int write_timeout_seconds = 30;   // a client that stops reading a response
  int max_connections = 1000;
};

// What a handler is given when the server refused a request after reading its header (its
// body was too large, or was not received in time): the header is known, so the application
// can still say who asked (the audit log wants that), and the answer it returns is sent.
struct TransportRefusal {
  int status = 0;  // 0: none, the request is whole
  std::string code;
  std::string message;
};

class HttpServer {
 public:
  // Runs on a worker thread; may block. Must not throw (a throw is answered 500 and logged).
  using Handler = std::function<HttpResponse(HttpRequest&, const TransportRefusal&)>;
  // Called once per answered request (also those refused before any handler ran), with the
  // bytes of the body actually sent.
  using Logger = std::function<void(const HttpRequest&, const HttpResponse&, uint64_t body_bytes_sent)>;

  HttpServer(HttpLimits limits, int worker_threads, Handler handler, Logger logger);
  ~HttpServer();

  // port 0 picks a free port.
  Status bind(const std::string& host, int port);
  int port() const;
  // Serves until stop(); returns when the I/O threads have finished.
  Status run();
  // Stops serving: the I/O threads return at once and run() with them, dropping every open
  // connection; handlers still running are joined by the destructor.
  void stop();
  bool running() const;

  struct Impl;  // public only so that the .cc's connection class can name it

 private:
  std::unique_ptr<Impl> impl_;
};

// The JSON error body the server itself sends for refusals before a handler runs (and that
// the application uses too): {"error": {"code": ..., "message": ...}}.
std::string http_error_json(std::string_view code, std::string_view message);

// Parses `bytes` as one HTTP/1.1 request exactly as the server does, under the same limits,
// with the same answers for what it refuses (400, 413, 414, 431); for tests and fuzzers.
// `refusal` is set when the server would refuse it; the request is filled as far as read.
HttpRequest parse_http_request_bytes(std::string_view bytes, const HttpLimits& limits,
                                     TransportRefusal* refusal);

}  // namespace scout
