#include "http/http_server.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace scout {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using RequestParser = http::request_parser<http::string_body>;

constexpr size_t kFileChunkBytes = 256 * 1024;
constexpr int kMaxRequestsPerConnection = 1000;
constexpr int kLingerSeconds = 2;
constexpr uint64_t kLingerMaxBytes = 256ull << 20;

void configure_parser(RequestParser& parser, const HttpLimits& limits) {
  // The request line and the fields share Beast's one header limit; which of the two was too
  // long is told apart afterwards (414 or 431).
  parser.header_limit(static_cast<uint32_t>(limits.max_url_bytes + limits.max_header_bytes));
  parser.body_limit(limits.max_body_bytes);
}

TransportRefusal refusal(int status, std::string code, std::string message) {
  return {status, std::move(code), std::move(message)};
}

// What the server answers for a request it could not read whole. To tell an overlong
// request line (414) from overlong fields (431): Beast consumes the request line once it has
// parsed it, so a target in the message means the line was whole; else `buffered`, what was
// received so far, holds the line's start.
TransportRefusal refusal_for(const beast::error_code& ec, const RequestParser& parser,
                             std::string_view buffered, const HttpLimits& limits) {
  if (ec == http::error::body_limit) {
    return refusal(413, "payload_too_large",
                   "request body is larger than " + std::to_string(limits.max_body_bytes) + " bytes");
  }
  if (ec == http::error::header_limit) {
    size_t target = parser.get().target().size();
    size_t line_end = buffered.find("\r\n");
    bool line_too_long = target > 0 ? target > limits.max_url_bytes
                                    : line_end == std::string_view::npos || line_end > limits.max_url_bytes;
    if (line_too_long) {
      return refusal(414, "uri_too_long",
                     "request URL is longer than " + std::to_string(limits.max_url_bytes) + " bytes");
    }
    return refusal(431, "header_fields_too_large",
                   "request header fields are larger than " +
                       std::to_string(limits.max_header_bytes) + " bytes");
  }
  if (ec == beast::error::timeout) {
    return refusal(408, "request_timeout", "the request was not received in time");
  }
  if (ec == http::error::bad_version) {
    // Beast says this of "HTTP/2.0" and of a line that is no request at all alike.
    return refusal(400, "bad_request", "malformed HTTP request: only HTTP/1.0 and HTTP/1.1 are served");
  }
  return refusal(400, "bad_request", "malformed HTTP request: " + ec.message());
}

// Copies what Beast parsed into our request; refuses a target that is too long or malformed.
TransportRefusal fill_request(const http::request<http::string_body>& in, const HttpLimits& limits,
                              HttpRequest* out) {
  out->method = std::string(in.method_string());
  out->target = std::string(in.target());
  // Beast's one header limit covers the request line and the fields together; the fields'
  // own limit is checked here, as "name: value\r\n" per field.
  size_t field_bytes = 0;
  for (const auto& field : in) {
    field_bytes += field.name_string().size() + field.value().size() + 4;
    out->headers.add(std::string(field.name_string()), std::string(field.value()));
  }
  if (out->target.size() > limits.max_url_bytes) {
    return refusal(414, "uri_too_long",
                   "request URL is longer than " + std::to_string(limits.max_url_bytes) + " bytes");
  }
  if (field_bytes > limits.max_header_bytes) {
    return refusal(431, "header_fields_too_large",
                   "request header fields are larger than " +
                       std::to_string(limits.max_header_bytes) + " bytes");
  }
  Status target = parse_request_target(out->target, out);
  if (!target.ok()) return refusal(400, "bad_request", target.message());
  return {};
}

// A header value or name as sent: CR, LF and NUL would split or end the response head.
std::string sanitized(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == '\r' || c == '\n' || c == '\0') c = ' ';
  }
  return out;
}

std::string serialize_head(const HttpResponse& res, uint64_t content_length, bool keep_alive) {
  std::string head = "HTTP/1.1 " + std::to_string(res.status) + " " + http_reason(res.status) + "\r\n";
  for (const auto& [name, value] : res.headers.fields()) {
    if (iequals(name, "Content-Length") || iequals(name, "Connection")) continue;
    head += sanitized(name) + ": " + sanitized(value) + "\r\n";
  }
  if (res.status != 304 && res.status != 204) {
    head += "Content-Length: " + std::to_string(content_length) + "\r\n";
  }
  head += keep_alive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
  return head;
}

HttpResponse error_response(const TransportRefusal& r) {
  HttpResponse res;
  res.status = r.status;
  res.set_body(http_error_json(r.code, r.message), "application/json");
  res.close_connection = true;
  return res;
}

}  // namespace

std::string http_error_json(std::string_view code, std::string_view message) {
  nlohmann::ordered_json body = {{"error", {{"code", code}, {"message", message}}}};
  return body.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

HttpRequest parse_http_request_bytes(std::string_view bytes, const HttpLimits& limits,
                                     TransportRefusal* out_refusal) {
  HttpRequest request;
  RequestParser parser;
  configure_parser(parser, limits);
  beast::error_code ec;
  size_t used = 0;
  while (used < bytes.size() && !parser.is_done()) {
    size_t n = parser.put(asio::buffer(bytes.data() + used, bytes.size() - used), ec);
    if (ec == http::error::need_more) {
      ec = {};
      break;
    }
    if (ec) break;
    if (n == 0) break;
    used += n;
  }
  if (!ec && !parser.is_done()) {
    // The bytes ended (the connection closed) before the request did. put_eof is only for a
    // parser that got something: Beast asserts it.
    if (parser.got_some()) parser.put_eof(ec);
    if (!ec && !parser.is_done()) ec = http::error::partial_message;
  }
  if (ec) {
    *out_refusal = refusal_for(ec, parser, bytes, limits);
    if (ec == http::error::body_limit) fill_request(parser.get(), limits, &request);
    return request;
  }
  *out_refusal = fill_request(parser.get(), limits, &request);
  if (out_refusal->status == 0) request.body = parser.get().body();
  return request;
}

struct HttpServer::Impl {
  HttpLimits limits;
  Handler handler;
  Logger logger;
  std::atomic<int> open_connections{0};
  std::atomic<bool> serving{false};
  std::atomic<bool> stopped{false};
  int bound_port = 0;
  // Declared after what sessions touch: sessions still queued die with the io_context.
  asio::io_context io;
  asio::thread_pool workers;
  tcp::acceptor acceptor{io};
  asio::steady_timer accept_pause{io};
  std::vector<std::thread> io_threads;

  Impl(HttpLimits l, int worker_threads, Handler h, Logger g)
      : limits(l), handler(std::move(h)), logger(std::move(g)),
        workers(static_cast<size_t>(std::max(1, worker_threads))) {}

  void accept();

  // Runs the application's handler; a throw becomes a 500, never a dead process.
  HttpResponse call_handler(HttpRequest& request, const TransportRefusal& refused) {
    try {
      return handler(request, refused);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "http: handler threw: %s\n", e.what());
    } catch (...) {
      std::fprintf(stderr, "http: handler threw\n");
    }
    return error_response(refusal(500, "internal", "internal error"));
  }

  void log(const HttpRequest& request, const HttpResponse& response, uint64_t sent) {
    if (!logger) return;
    try {
      logger(request, response, sent);
    } catch (...) {
      std::fprintf(stderr, "http: request logger threw\n");
    }
  }
};

namespace {

// One connection: read a request under the limits, hand it to a worker, write the answer,
// and again while the client keeps the connection alive.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(HttpServer::Impl* server, tcp::socket socket)
      : server_(server),
        stream_(std::move(socket)),
        // Bounds what one read may buffer; the parser's own limits refuse far sooner.
        buffer_(server->limits.max_url_bytes + server->limits.max_header_bytes +
                server->limits.max_body_bytes + 64 * 1024) {
    beast::error_code ec;
    auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_addr_ = endpoint.address().to_string();
    stream_.socket().set_option(tcp::no_delay(true), ec);
  }
  ~Session() {
    if (file_fd_ >= 0) ::close(file_fd_);  // a download the server stopped in the middle of
    --server_->open_connections;
  }

  void start() { wait_for_request(server_->limits.header_timeout_seconds); }

  // Past the connection cap: a 503 at once, then the same lingering close as any refusal, so
  // that the client reads the answer instead of a reset.
  void refuse_busy() {
    HttpResponse res = error_response(refusal(503, "unavailable", "too many open connections; retry shortly"));
    res.headers.set("Retry-After", "1");
    respond(std::move(res));
  }

 private:
  const HttpLimits& limits() const { return server_->limits; }

  // Waits for the first byte of the next request (an idle keep-alive connection is let go
  // after the idle timeout), then gives the whole header its own deadline.
  void wait_for_request(int first_byte_timeout_seconds) {
    if (buffer_.size() > 0) return read_header();
    stream_.expires_after(std::chrono::seconds(first_byte_timeout_seconds));
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              if (ec) return self->close();
                              self->buffer_.commit(n);
                              self->read_header();
                            });
  }

  void read_header() {
    parser_.emplace();
    configure_parser(*parser_, limits());
    request_ = HttpRequest{};
    request_.remote_addr = remote_addr_;
    stream_.expires_after(std::chrono::seconds(limits().header_timeout_seconds));
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              self->on_header(ec);
                            });
  }

  void on_header(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == asio::error::eof ||
        ec == asio::error::connection_reset) {
      return close();
    }
    // Beast closed the socket at the deadline: there is no one left to answer.
    if (ec == beast::error::timeout) return close();
    if (ec) {
      std::string_view buffered(static_cast<const char*>(buffer_.data().data()), buffer_.size());
      TransportRefusal refused = refusal_for(ec, *parser_, buffered, limits());
      // Past the header, the application may still name the caller (body too large).
      if (ec == http::error::body_limit) {
        fill_request(parser_->get(), limits(), &request_);
        return dispatch(refused);
      }
      return respond(error_response(refused));
    }
    TransportRefusal refused = fill_request(parser_->get(), limits(), &request_);
    if (refused.status != 0) return respond(error_response(refused));
    if (parser_->is_done()) return dispatch({});
    if (iequals(request_.headers.get("Expect"), "100-continue")) {
      // curl waits for this before sending a body; the limits were checked with the header.
      auto cont = std::make_shared<std::string>("HTTP/1.1 100 Continue\r\n\r\n");
      stream_.expires_after(std::chrono::seconds(limits().write_timeout_seconds));
      return asio::async_write(stream_, asio::buffer(*cont),
                               [self = shared_from_this(), cont](beast::error_code e, size_t) {
                                 if (e) return self->close();
                                 self->read_body();
                               });
    }
    read_body();
  }

  void read_body() {
    stream_.expires_after(std::chrono::seconds(limits().body_timeout_seconds));
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (ec == http::error::body_limit) {
                         return self->dispatch(refusal_for(ec, *self->parser_, {}, self->limits()));
                       }
                       if (ec == http::error::end_of_stream || ec == asio::error::eof ||
                           ec == asio::error::connection_reset || ec == beast::error::timeout) {
                         return self->close();
                       }
                       if (ec) return self->respond(error_response(refusal_for(ec, *self->parser_, {}, self->limits())));
                       self->request_.body = std::move(self->parser_->get().body());
                       self->dispatch({});
                     });
  }

  // The handler runs on the worker pool; the answer is written back on this connection's strand.
  void dispatch(TransportRefusal refused) {
    keep_alive_ = refused.status == 0 && parser_->get().keep_alive();
    asio::post(server_->workers, [self = shared_from_this(), refused = std::move(refused)] {
      HttpResponse response = self->server_->call_handler(self->request_, refused);
      if (refused.status != 0) response.close_connection = true;
      asio::post(self->stream_.get_executor(),
                 [self, response = std::move(response)]() mutable { self->respond(std::move(response)); });
    });
  }

  void respond(HttpResponse response) {
    response_ = std::move(response);
    if (response_.close_connection) keep_alive_ = false;
    if (++requests_served_ >= kMaxRequestsPerConnection) keep_alive_ = false;
    bool head_only = request_.method == "HEAD";
    if (response_.file && !head_only) {
      file_fd_ = ::open(response_.file->path.c_str(), O_RDONLY | O_CLOEXEC);
      if (file_fd_ < 0) {
        response_ = error_response(refusal(404, "not_found", "the file of this link no longer exists"));
        keep_alive_ = false;
      }
    }
    uint64_t length = response_.content_length();
    head_ = serialize_head(response_, length, keep_alive_);
    std::vector<asio::const_buffer> out = {asio::buffer(head_)};
    if (!response_.file && !head_only && response_.status != 304) out.push_back(asio::buffer(response_.body));
    sent_ = response_.file || head_only || response_.status == 304 ? 0 : response_.body.size();
    stream_.expires_after(std::chrono::seconds(limits().write_timeout_seconds));
    asio::async_write(stream_, out, [self = shared_from_this(), head_only](beast::error_code ec, size_t) {
      if (ec) return self->finish(false);
      if (self->response_.file && !head_only) {
        self->file_left_ = self->response_.file->length;
        self->file_offset_ = self->response_.file->offset;
        return self->write_file_chunk();
      }
      self->finish(true);
    });
  }

  void write_file_chunk() {
    if (file_left_ == 0) return finish(true);
    chunk_.resize(static_cast<size_t>(std::min<uint64_t>(file_left_, kFileChunkBytes)));
    ssize_t n = ::pread(file_fd_, chunk_.data(), chunk_.size(), static_cast<off_t>(file_offset_));
    if (n <= 0) return finish(false);  // the file shrank: the client sees a short body
    stream_.expires_after(std::chrono::seconds(limits().write_timeout_seconds));
    asio::async_write(stream_, asio::buffer(chunk_.data(), static_cast<size_t>(n)),
                      [self = shared_from_this()](beast::error_code ec, size_t written) {
                        if (ec) return self->finish(false);
                        self->file_offset_ += written;
                        self->file_left_ -= written;
                        self->sent_ += written;
                        self->write_file_chunk();
                      });
  }

  void finish(bool complete) {
    if (file_fd_ >= 0) {
      ::close(file_fd_);
      file_fd_ = -1;
    }
    server_->log(request_, response_, sent_);
    if (complete && response_.close_connection) return linger_then_close();
    if (!complete || !keep_alive_ || server_->stopped) return close();
    response_ = HttpResponse{};
    wait_for_request(limits().idle_timeout_seconds);
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.close();
  }

  // After refusing a request whose body was not read, closing at once would reset the
  // connection, and the client's kernel would drop our answer unread. So: stop sending,
  // then read and discard (never keep) what still arrives, for a short while only.
  void linger_then_close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return close();
    stream_.expires_after(std::chrono::seconds(kLingerSeconds));
    drain();
  }

  void drain() {
    chunk_.resize(64 * 1024);
    stream_.async_read_some(asio::buffer(chunk_), [self = shared_from_this()](beast::error_code ec, size_t n) {
      self->drained_ += n;
      if (ec || self->drained_ > kLingerMaxBytes) return self->close();
      self->drain();
    });
  }

  HttpServer::Impl* server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;
  std::string remote_addr_;
  HttpRequest request_;
  HttpResponse response_;
  std::string head_;
  std::vector<char> chunk_;
  int file_fd_ = -1;
  uint64_t file_offset_ = 0, file_left_ = 0, sent_ = 0, drained_ = 0;
  bool keep_alive_ = false;
  int requests_served_ = 0;
};

}  // namespace

void HttpServer::Impl::accept() {
  acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
    if (stopped || !acceptor.is_open()) return;
    if (ec) {
      // Out of descriptors (EMFILE) the connection stays queued and accept fails at once
      // again: pause instead of spinning, until a connection closes and frees one.
      accept_pause.expires_after(std::chrono::milliseconds(100));
      accept_pause.async_wait([this](beast::error_code) { accept(); });
      return;
    }
    auto session = std::make_shared<Session>(this, std::move(socket));
    // Counted before the check, and refused ones too, until their lingering close ends.
    if (open_connections.fetch_add(1) >= limits.max_connections) {
      session->refuse_busy();
    } else {
      session->start();
    }
    accept();
  });
}

HttpServer::HttpServer(HttpLimits limits, int worker_threads, Handler handler, Logger logger)
    : impl_(std::make_unique<Impl>(limits, worker_threads, std::move(handler), std::move(logger))) {}

HttpServer::~HttpServer() {
  stop();
  impl_->workers.join();
}

// Every connection is a descriptor. Raise the soft limit to the hard one, and keep the cap on
// connections below what is left for files, the warehouse and the logs, so that a crowd of
// clients meets the cap's 503 and never a service that cannot open its own files.
void fit_connections_to_descriptor_limit(HttpLimits* limits) {
  constexpr rlim_t kReserved = 256;
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return;
  if (rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0) getrlimit(RLIMIT_NOFILE, &rl);
  }
  if (rl.rlim_cur == RLIM_INFINITY) return;
  rlim_t usable = rl.rlim_cur > 2 * kReserved ? rl.rlim_cur - kReserved : rl.rlim_cur / 2;
  if (static_cast<rlim_t>(limits->max_connections) > usable) {
    std::fprintf(stderr, "http: max_connections %d is more than this process's descriptor limit allows; using %d\n",
                 limits->max_connections, static_cast<int>(usable));
    limits->max_connections = static_cast<int>(usable);
  }
}

Status HttpServer::bind(const std::string& host, int port) {
  fit_connections_to_descriptor_limit(&impl_->limits);
  beast::error_code ec;
  auto address = asio::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
  if (ec) return Status::Invalid("cannot listen on '" + host + "': not an IP address");
  tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
  auto fail = [&](const char* what) {
    return Status::IOError(std::string("cannot listen on ") + host + ":" + std::to_string(port) +
                           " (" + what + ": " + ec.message() + ")");
  };
  impl_->acceptor.open(endpoint.protocol(), ec);
  if (ec) return fail("open");
  impl_->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  impl_->acceptor.bind(endpoint, ec);
  if (ec) return fail("bind");
  impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen");
  impl_->bound_port = impl_->acceptor.local_endpoint(ec).port();
  return Status::OK();
}

int HttpServer::port() const { return impl_->bound_port; }

Status HttpServer::run() {
  Impl& s = *impl_;
  if (!s.acceptor.is_open()) return Status::Invalid("bind() before run()");
  s.accept();
  s.serving = true;
  // Two I/O threads: reading and writing are cheap; handlers have the worker pool.
  for (int i = 0; i < 2; ++i) {
    s.io_threads.emplace_back([&s] {
      // A throw out of a completion handler is a bug, but it must cost one connection, not
      // the process: log it and go on serving.
      while (true) {
        try {
          s.io.run();
          return;
        } catch (const std::exception& e) {
          std::fprintf(stderr, "http: connection handler threw: %s\n", e.what());
        } catch (...) {
          std::fprintf(stderr, "http: connection handler threw\n");
        }
      }
    });
  }
  for (auto& t : s.io_threads) t.join();
  s.io_threads.clear();
  s.serving = false;
  return Status::OK();
}

void HttpServer::stop() {
  Impl& s = *impl_;
  if (s.stopped.exchange(true)) return;
  asio::post(s.io, [&s] {
    beast::error_code ec;
    s.acceptor.close(ec);
  });
  s.io.stop();
  // Handlers still running finish on their own (the application ends what they wait for);
  // the destructor joins them.
  s.workers.stop();
}

bool HttpServer::running() const { return impl_->serving; }

}  // namespace scout
