"""A mail server for the harness: `python smtp_server.py HOST:PORT FOLDER`.

It speaks enough SMTP for Django's backend (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) and
appends one JSON line per accepted message to FOLDER/messages.jsonl (Message-ID, subject,
recipients). Every connection is noted in FOLDER/connections.jsonl. While a file
FOLDER/hold exists, holding a number of seconds, the next connection waits that long before
the greeting (and the file goes): a slow mail server, during which a test can kill the
worker that is talking to it, before any message has been handed over.
"""

import asyncio
import json
import sys
import time
from email.parser import BytesHeaderParser
from pathlib import Path


class Server:
    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)

    def note(self, name: str, record: dict) -> None:
        with (self.folder / name).open("a") as out:
            out.write(json.dumps({**record, "time": time.time()}) + "\n")

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        hold_file = self.folder / "hold"
        hold = 0.0
        if hold_file.exists():
            hold = float(hold_file.read_text() or 0)
            hold_file.unlink()
        self.note("connections.jsonl", {"held": hold})
        try:
            await asyncio.sleep(hold)
            await self.converse(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    async def converse(self, reader, writer):
        def reply(line: str):
            writer.write(line.encode() + b"\r\n")

        reply("220 harness ESMTP")
        await writer.drain()
        recipients: list[str] = []
        while True:
            line = await reader.readline()
            if not line:
                return
            command = line.decode(errors="replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                reply("250-harness" if verb == "EHLO" else "250 harness")
                if verb == "EHLO":
                    reply("250 SIZE 52428800")
            elif verb == "MAIL":
                recipients = []
                reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip(" <>"))
                reply("250 OK")
            elif verb == "DATA":
                reply("354 End data with <CR><LF>.<CR><LF>")
                await writer.drain()
                data = bytearray()
                while True:
                    chunk = await reader.readline()
                    if not chunk:
                        return  # the sender went away: nothing was accepted
                    if chunk in (b".\r\n", b".\n"):
                        break
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                headers = BytesHeaderParser().parsebytes(bytes(data))
                self.note(
                    "messages.jsonl",
                    {
                        "message_id": headers.get("Message-ID", ""),
                        "subject": headers.get("Subject", ""),
                        "to": recipients,
                    },
                )
                reply("250 OK: queued")
            elif verb in ("RSET", "NOOP"):
                reply("250 OK")
            elif verb == "QUIT":
                reply("221 Bye")
                await writer.drain()
                return
            else:
                reply("502 Command not implemented")
            await writer.drain()


async def main(listen: str, folder: str) -> None:
    host, port = listen.rsplit(":", 1)
    server = Server(Path(folder))
    listener = await asyncio.start_server(server.handle, host, int(port))
    async with listener:
        await listener.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
