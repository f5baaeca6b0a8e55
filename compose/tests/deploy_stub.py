"""Loopback stand-ins for compose/tests/deploy_test.sh: Slack's incoming webhook (POST /slack,
bodies appended to STATE/slack.jsonl) and the site's health URL (GET /api/health/: 503 while
STATE/unhealthy exists, else 200). Usage: deploy_stub.py STATE PORT_FILE."""

import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

STATE = Path(sys.argv[1])


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        status = 503 if (STATE / "unhealthy").exists() else 200
        self.send_response(status if self.path == "/api/health/" else 404)
        self.send_header("content-length", "0")
        self.end_headers()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        if self.path == "/slack":
            with open(STATE / "slack.jsonl", "ab") as out:
                out.write(body + b"\n")
        self.send_response(200 if self.path == "/slack" else 404)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
Path(sys.argv[2]).write_text(str(server.server_address[1]))
server.serve_forever()
