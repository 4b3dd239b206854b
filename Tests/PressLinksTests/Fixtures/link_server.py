"""A real HTTP server on 127.0.0.1 for the link checker's tests.

Prints its port on the first line of stdout, then serves until stdin closes.
"""
import http.server
import sys
import threading
import time

hits = {}
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, headers=None, body=b""):
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def route(self):
        path = self.path
        with lock:
            if path != "/hits":
                hits[path] = hits.get(path, 0) + 1
            count = hits.get(path, 0)
        if path == "/ok":
            return self.reply(200, body=b"ok")
        if path == "/missing":
            return self.reply(404, body=b"not found")
        if path == "/chain/1":
            return self.reply(301, {"Location": "/chain/2"})
        if path == "/chain/2":
            return self.reply(302, {"Location": "http://127.0.0.1:%d/ok" % self.server.server_port})
        if path == "/loop/a":
            return self.reply(301, {"Location": "/loop/b"})
        if path == "/loop/b":
            return self.reply(301, {"Location": "/loop/a"})
        if path == "/busy":
            # 429 with Retry-After on the first request, fine afterwards.
            if count == 1:
                return self.reply(429, {"Retry-After": "1"})
            return self.reply(200, body=b"ok")
        if path == "/always-busy":
            return self.reply(503, {"Retry-After": "0"})
        if path == "/slow":
            time.sleep(3)
            return self.reply(200, body=b"late")
        if path == "/no-head":
            if self.command == "HEAD":
                return self.reply(405)
            return self.reply(200, body=b"get works")
        if path == "/hits":
            with lock:
                body = "\n".join("%s %d" % item for item in sorted(hits.items())).encode()
            return self.reply(200, body=body)
        return self.reply(404)

    do_GET = route
    do_HEAD = route


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()
print(server.server_port, flush=True)
sys.stdin.read()
