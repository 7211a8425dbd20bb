"""A real SMTP server for Roster's tests (aiosmtpd), on loopback.

Each message it accepts is written to the folder given as one JSON file (recipients, sender,
subject, Message-ID, plain-text and HTML bodies), named so that files sort in arrival order.
Recipients listed in the folder's `refuse-temporarily` file get a 451 (try again later), those
in `refuse-permanently` a 550. Prints `READY <port>` once it listens; exits when its standard
input closes (the test process that started it ended).
"""

import argparse
import email
import email.policy
import json
import os
import socket
import sys
import time
import uuid

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder):
        self.folder = folder

    def _listed(self, name, address):
        try:
            with open(os.path.join(self.folder, name)) as listed:
                return address.lower() in {line.strip().lower() for line in listed}
        except FileNotFoundError:
            return False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self._listed("refuse-temporarily", address):
            return "451 4.3.0 Mailbox busy, try again later"
        if self._listed("refuse-permanently", address):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        text = message.get_body(("plain",))
        html = message.get_body(("html",))
        record = {
            "to": list(envelope.rcpt_tos),
            "from": envelope.mail_from,
            "subject": str(message.get("Subject", "")),
            "message_id": str(message.get("Message-ID", "")),
            "text": text.get_content() if text else None,
            "html": html.get_content() if html else None,
        }
        name = f"{time.time_ns():020d}-{uuid.uuid4().hex}.json"
        partial = os.path.join(self.folder, "." + name)
        with open(partial, "w") as out:
            json.dump(record, out)
        os.rename(partial, os.path.join(self.folder, name))
        return "250 Message accepted"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    folder = parser.parse_args().dir
    os.makedirs(folder, exist_ok=True)
    for _ in range(20):
        port = free_port()
        controller = Controller(Sink(folder), hostname="127.0.0.1", port=port)
        try:
            controller.start()
            break
        except Exception:  # the port was taken meanwhile: another one
            continue
    else:
        sys.exit("no free port for the SMTP sink")
    print(f"READY {port}", flush=True)
    sys.stdin.read()
    controller.stop()


if __name__ == "__main__":
    main()
