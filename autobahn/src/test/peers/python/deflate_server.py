"""Python websockets as a permessage-deflate server: python3 deflate_server.py MODE; prints LISTENING <port>.

MODE as in deflate_client.py, here what the server asks of the client and imposes on itself. Per connection
prints EXTENSIONS <its response's Sec-WebSocket-Extensions>, then what server.py prints: RECV TEXT|BINARY n
OK|BAD for each message (echoed), and CLOSE code reason."""

import asyncio
import sys

import websockets
from websockets.extensions.permessage_deflate import ServerPerMessageDeflateFactory

import scenario as s
from server import serve_connection

MODES = {
    "defaults": {},
    "windows10": {"server_max_window_bits": 10, "client_max_window_bits": 10},
    "nocontext": {"server_no_context_takeover": True, "client_no_context_takeover": True},
}


async def echo(ws, path=None):
    s.report("EXTENSIONS " + ws.response_headers.get("Sec-WebSocket-Extensions", ""))
    await serve_connection(ws)


async def main(mode):
    factory = ServerPerMessageDeflateFactory(**MODES[mode])
    async with websockets.serve(echo, "127.0.0.1", 0, extensions=[factory], compression=None,
                                max_size=s.MAX_SIZE, ping_interval=None) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        s.report(f"LISTENING {port}")
        await asyncio.Future()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
