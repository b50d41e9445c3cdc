"""Python websockets as the server of the interop scenario: python3 server.py; prints LISTENING <port>."""

import asyncio

import websockets

import scenario as s

TIMEOUT = 10


async def serve_connection(ws, path=None):
    try:
        async for message in ws:
            if isinstance(message, bytes):
                ok = message == s.binary(len(message))
                s.report(f"RECV BINARY {len(message)} " + ("OK" if ok else "BAD"))
                await ws.send(message)
            elif message.startswith(s.PING_COMMAND):
                payload = message[len(s.PING_COMMAND):]
                pong_waiter = await ws.ping(payload.encode())
                # websockets completes the waiter only for a Pong carrying this Ping's payload.
                await asyncio.wait_for(pong_waiter, TIMEOUT)
                s.report("SERVER-PONG " + payload)
                await ws.send(s.PONG_RECEIVED + payload)
            elif message == s.TERMINATE_COMMAND:
                ws.transport.abort()
            elif message.startswith(s.CLOSE_COMMAND):
                code, reason = message[len(s.CLOSE_COMMAND):].split(" ", 1)
                await ws.close(int(code), reason)
            else:
                n = len(message.encode("utf-8"))
                s.report(f"RECV TEXT {n} " + ("OK" if message == s.text(n) else "BAD"))
                await ws.send(message)
    except websockets.ConnectionClosed:
        pass
    await ws.wait_closed()
    s.report(f"CLOSE {ws.close_code} {ws.close_reason}")


async def main():
    async with websockets.serve(serve_connection, "127.0.0.1", 0, max_size=s.MAX_SIZE, ping_interval=None) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        s.report(f"LISTENING {port}")
        await asyncio.Future()


if __name__ == "__main__":
    asyncio.run(main())
