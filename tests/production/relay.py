"""A mail relay on loopback for scripts/ci-production.sh: a plain SMTP server that answers, or
stalls (accepts the connection and never says a word, as a hung relay does), as its mode file
says at the moment a connection arrives. Each message accepted is one JSON line in the log.

    python tests/production/relay.py --port 2525 --mode-file run/relay.mode --log run/relay.jsonl

A mode file holding ``stall`` makes new connections stall; ``answer`` (or no file) answers. A
stalled connection stays silent until the client gives up. Standard library only (asyncio):
the relay the province runs is not ours, so nothing of the application is imported here.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import signal
import time
from pathlib import Path


def mode(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip() or "answer"
    except FileNotFoundError:
        return "answer"


class Relay:
    def __init__(self, mode_file: Path, log: Path):
        self.mode_file = mode_file
        self.log = log
        self.stalled = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        try:
            if mode(self.mode_file) == "stall":
                self.stalled += 1
                print(f"relay: a connection stalled ({self.stalled} so far)", flush=True)
                while await reader.read(4096):  # silent until the client hangs up
                    pass
                return
            await self.converse(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    async def converse(self, reader, writer):
        def say(line: str):
            writer.write(line.encode() + b"\r\n")

        say("220 relay.ci ESMTP")
        sender, recipients = "", []
        while True:
            line = (await reader.readline()).decode("utf-8", "replace").rstrip("\r\n")
            if not line:
                return
            verb = line.split(" ", 1)[0].upper()
            if verb == "EHLO":
                say("250-relay.ci")
                say("250 8BITMIME")
            elif verb == "HELO":
                say("250 relay.ci")
            elif verb == "MAIL":
                sender, recipients = line.split(":", 1)[1].strip(), []
                say("250 OK")
            elif verb == "RCPT":
                recipients.append(line.split(":", 1)[1].strip().strip("<>"))
                say("250 OK")
            elif verb == "DATA":
                say("354 end with <CRLF>.<CRLF>")
                await writer.drain()
                data = await reader.readuntil(b"\r\n.\r\n")
                text = data[:-5].decode("utf-8", "replace")
                # Headers unfolded (a long, encoded Subject spans several lines).
                headers = re.sub(r"\r\n[ \t]+", " ", text.split("\r\n\r\n", 1)[0])
                subject = next(
                    (
                        h[8:].strip()
                        for h in headers.split("\r\n")
                        if h.lower().startswith("subject:")
                    ),
                    "",
                )
                entry = {
                    "at": time.time(),
                    "from": sender,
                    "to": recipients,
                    "subject": subject,
                    "message_id": next(
                        (
                            h.split(":", 1)[1].strip()
                            for h in headers.split("\r\n")
                            if h.lower().startswith("message-id:")
                        ),
                        "",
                    ),
                    "bytes": len(data),
                }
                with self.log.open("a", encoding="utf-8") as stream:
                    stream.write(json.dumps(entry) + "\n")
                say("250 OK queued")
            elif verb in ("RSET", "NOOP"):
                say("250 OK")
            elif verb == "QUIT":
                say("221 bye")
                await writer.drain()
                return
            else:
                say("502 command not implemented")
            await writer.drain()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--mode-file", type=Path, required=True)
    parser.add_argument("--log", type=Path, required=True)
    args = parser.parse_args()
    relay = Relay(args.mode_file, args.log)
    server = await asyncio.start_server(relay.handle, "127.0.0.1", args.port)
    print(f"relay: listening on 127.0.0.1:{args.port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with server:
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(main())
