"""Python websockets as a permessage-deflate client: python3 deflate_client.py ws://host:port/path MODE

MODE is defaults, windows10 (server_max_window_bits=10, client_max_window_bits=10) or nocontext (both
no_context_takeover parameters). Prints EXTENSIONS <the response's Sec-WebSocket-Extensions>, then
TEXT n OK and BINARY n OK for each echoed message of DEFLATE_SIZES, then CLOSE code, then DONE."""

import asyncio
import sys

import websockets
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory

import scenario as s

TIMEOUT = 10
DEFLATE_SIZES = [0, 1, 125, 126, 1000, 65535, 65536, 1 << 20]

MODES = {
    "defaults": {},
    "windows10": {"server_max_window_bits": 10, "client_max_window_bits": 10},
    "nocontext": {"server_no_context_takeover": True, "client_no_context_takeover": True},
}


async def main(url, mode):
    factory = ClientPerMessageDeflateFactory(**MODES[mode])
    async with websockets.connect(url, extensions=[factory], compression=None, max_size=s.MAX_SIZE,
                                  ping_interval=None) as ws:
        s.report("EXTENSIONS " + ws.response_headers.get("Sec-WebSocket-Extensions", ""))
        for kind, make in (("TEXT", s.text), ("BINARY", s.binary)):
            for n in DEFLATE_SIZES:
                sent = make(n)
                await ws.send(sent)
                echo = await asyncio.wait_for(ws.recv(), TIMEOUT)
                s.report(f"{kind} {n} " + ("OK" if echo == sent else f"BAD got {type(echo).__name__} of {len(echo)}"))
        await asyncio.wait_for(ws.close(1000, "done"), TIMEOUT)
        s.report(f"CLOSE {ws.close_code}")
    s.report("DONE")


if __name__ == "__main__":
    try:
        asyncio.run(main(sys.argv[1], sys.argv[2]))
    except Exception as e:  # reported as a transcript line; the traceback goes to stderr
        s.report(f"FAIL {type(e).__name__}: {e}")
        raise
    sys.exit(1 if s.failed else 0)
