"""The test SMTP server and Maildir reader of the worker's integration tests.

    python smtp_server.py serve PORT MAILDIR   # aiosmtpd on 127.0.0.1:PORT, each message a file in MAILDIR/new
    python smtp_server.py read MAILDIR         # every message as JSON (headers, decoded text and HTML bodies)

Recipients starting with `reject` are refused with 550 (a permanent failure); messages to
recipients starting with `slow` are accepted after 3 seconds.
"""

import asyncio
import email
import email.policy
import json
import mailbox
import pathlib
import sys
import time


def serve(port: int, maildir: str) -> None:
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Mailbox

    class Handler(Mailbox):
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address.startswith("reject"):
                return "550 5.1.1 No such user here"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            if any(rcpt.startswith("slow") for rcpt in envelope.rcpt_tos):
                await asyncio.sleep(3)
            return await super().handle_DATA(server, session, envelope)

    for sub in ("tmp", "new", "cur"):
        pathlib.Path(maildir, sub).mkdir(parents=True, exist_ok=True)
    controller = Controller(Handler(maildir), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


def read(maildir: str) -> None:
    out = []
    for path in sorted(pathlib.Path(maildir, "new").iterdir()):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        out.append({
            "file": path.name,
            "headers": {k: str(v) for k, v in message.items()},
            "subject": str(message["Subject"]),
            "to": str(message["To"]),
            "rcpt": str(message.get("X-RcptTo", "")),
            "text": text.get_content() if text else None,
            "html": html.get_content() if html else None,
        })
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(int(sys.argv[2]), sys.argv[3])
    else:
        read(sys.argv[2])
