"""A fast webhook receiver for bench/writes.sh: answers 204 at once and keeps, for each message,
when its event was recorded and how long after that it arrived (commit-to-delivery lag, plus the
few ms between the event's timestamp and its commit). On SIGTERM it writes them (unix seconds
and seconds, one message a line) to the file given.

Usage: lag_receiver.py <port> <out-file>
"""

import datetime
import http.server
import json
import signal
import sys
import time

port, out = int(sys.argv[1]), sys.argv[2]
lags = []


class Receiver(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: Roster reuses its connections

    def do_POST(self):
        arrived = time.time()
        body = self.rfile.read(int(self.headers["content-length"]))
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()
        created = json.loads(body)["data"]["created_at"]
        at = datetime.datetime.fromisoformat(created.replace("Z", "+00:00")).timestamp()
        lags.append((at, arrived - at))

    def log_message(self, *args):
        pass


def finish(*_):
    with open(out, "w") as f:
        f.write("\n".join(f"{at:.6f} {lag:.6f}" for at, lag in lags))
    sys.exit(0)


signal.signal(signal.SIGTERM, finish)
server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Receiver)
server.daemon_threads = True
server.serve_forever()
