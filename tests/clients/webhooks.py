"""Roster's webhook messages as a receiver sees them, verified with the Standard Webhooks
reference library from PyPI (`standardwebhooks`), unmodified.

Usage: webhooks.py <base-url> <admin-email> <admin-password>. Starts a receiver on loopback,
makes an endpoint for it, causes events, rotates the secret, and checks that every message
verifies (with the new secret and, during the overlap, the old one) and that a tampered one
does not. Exits non-zero on the first failure.
"""

import http.server
import json
import sys
import threading
import time
import urllib.request

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

BASE, EMAIL, PASSWORD = sys.argv[1], sys.argv[2], sys.argv[3]
received = []


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["content-length"]))
        received.append((dict((k.lower(), v) for k, v in self.headers.items()), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
threading.Thread(target=server.serve_forever, daemon=True).start()
hook_url = f"http://127.0.0.1:{server.server_address[1]}/hooks/roster"


def call(method, path, body=None, token=None):
    request = urllib.request.Request(BASE + path, method=method)
    request.add_header("content-type", "application/json")
    if token:
        request.add_header("authorization", f"Bearer {token}")
    data = json.dumps(body).encode() if body is not None else None
    with urllib.request.urlopen(request, data) as response:
        text = response.read()
        return json.loads(text) if text else None


def wait_for(count):
    deadline = time.time() + 20
    while len(received) < count and time.time() < deadline:
        time.sleep(0.05)
    assert len(received) >= count, f"{len(received)} messages, expected {count}"


token = call("POST", "/v1/auth/token",
             {"grant_type": "password", "username": EMAIL, "password": PASSWORD})["access_token"]
endpoint = call("POST", "/v1/webhooks",
                {"url": hook_url, "event_types": ["organization.*", "webhook.test"]}, token)
first_secret = endpoint["secret"]

call("POST", "/v1/organizations", {"name": "hooked", "display_name": "Hooked"}, token)
call("POST", f"/v1/webhooks/{endpoint['id']}/test", {}, token)
wait_for(2)
for headers, body in received[:2]:
    message = Webhook(first_secret).verify(body, headers)
    assert message["type"] in ("organization.created", "webhook.test"), message
print("verified", [Webhook(first_secret).verify(b, h)["type"] for h, b in received[:2]])

# The test message can arrive before organization.created (it skips the outbox's queue), so the
# tampered message is picked by its content, and the tampering is checked to have changed it.
headers, body = next((h, b) for h, b in received[:2] if b"hooked" in b)
tampered = body.replace(b"hooked", b"hacked")
assert tampered != body
try:
    Webhook(first_secret).verify(tampered, headers)
    raise SystemExit("a tampered message verified")
except WebhookVerificationError:
    print("a tampered message is refused")

rotated = call("POST", f"/v1/webhooks/{endpoint['id']}/rotate-secret", {}, token)
second_secret = rotated["secret"]
assert second_secret != first_secret
call("PATCH", "/v1/organizations/hooked", {"display_name": "Hooked, again"}, token)
wait_for(3)
headers, body = received[2]
for secret in (second_secret, first_secret):
    assert Webhook(secret).verify(body, headers)["type"] == "organization.updated"
print("after the rotation the message verifies with the new secret and the old one")
