"""A real SMTP server on loopback for the delivery tests (aiosmtpd).

Prints its port on the first line of stdout, then appends one JSON line per
message it accepts to --out: message_id, mail_from, rcpt_tos, from, to,
subject, text, html. Recipients at bounce.example get a permanent 550. While
the file named by --hold exists, it keeps each message (already written to
--out) waiting for its 250, as a slow server would.
"""

import argparse
import asyncio
import email
import email.policy
import json
import os
import sys

from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, out, hold):
        self.out = out
        self.hold = hold

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().endswith("@bounce.example"):
            return "550 5.1.1 <%s>: no such user here" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        text = msg.get_body(preferencelist=("plain",))
        html = msg.get_body(preferencelist=("html",))
        record = {
            "message_id": msg["Message-ID"],
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": msg["From"],
            "to": msg["To"],
            "subject": msg["Subject"],
            "text": text.get_content() if text else None,
            "html": html.get_content() if html else None,
        }
        with open(self.out, "a") as f:
            f.write(json.dumps(record) + "\n")
        while self.hold and os.path.exists(self.hold):
            await asyncio.sleep(0.05)
        return "250 Message accepted"


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--hold")
    args = p.parse_args()
    sink = Sink(args.out, args.hold)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(sink, hostname="sink.test"), "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
