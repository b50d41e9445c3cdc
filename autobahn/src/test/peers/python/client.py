"""Python websockets as the client of the interop scenario: python3 client.py ws://host:port/path"""

import asyncio
import sys

import websockets

import scenario as s

TIMEOUT = 10


async def first_connection(url):
    async with websockets.connect(url, max_size=s.MAX_SIZE, ping_interval=None) as ws:
        for n in s.SIZES:
            sent = s.text(n)
            await ws.send(sent)
            echo = await asyncio.wait_for(ws.recv(), TIMEOUT)
            s.report(f"TEXT {n} " + ("OK" if echo == sent else f"BAD got {type(echo).__name__} of {len(echo)}"))
        for n in s.SIZES:
            sent = s.binary(n)
            await ws.send(sent)
            echo = await asyncio.wait_for(ws.recv(), TIMEOUT)
            s.report(f"BINARY {n} " + ("OK" if echo == sent else f"BAD got {type(echo).__name__} of {len(echo)}"))
        n = s.FRAGMENTED_SIZE
        sent = s.text(n)
        # Parts of PART_SIZE code points: websockets sends each str part as one frame.
        await ws.send([sent[i:i + s.PART_SIZE] for i in range(0, len(sent), s.PART_SIZE)])
        echo = await asyncio.wait_for(ws.recv(), TIMEOUT)
        s.report(f"FRAGMENTED TEXT {n} " + ("OK" if echo == sent else "BAD"))
        sent = s.binary(n)
        await ws.send([sent[i:i + s.PART_SIZE] for i in range(0, n, s.PART_SIZE)])
        echo = await asyncio.wait_for(ws.recv(), TIMEOUT)
        s.report(f"FRAGMENTED BINARY {n} " + ("OK" if echo == sent else "BAD"))
        pong_waiter = await ws.ping(s.CLIENT_PING.encode())
        await asyncio.wait_for(pong_waiter, TIMEOUT)
        s.report("PONG " + s.CLIENT_PING)
        await ws.send(s.PING_COMMAND + s.SERVER_PING)
        ack = await asyncio.wait_for(ws.recv(), TIMEOUT)
        s.report("SERVER-PONG " + (s.SERVER_PING if ack == s.PONG_RECEIVED + s.SERVER_PING else "BAD " + ack))
        await asyncio.wait_for(ws.close(*s.CLIENT_CLOSE), TIMEOUT)
        s.report(f"CLOSE {ws.close_code} {ws.close_reason}")


async def server_ends(url, command):
    """Sends a command after which the server must end the connection; returns the closed connection."""
    async with websockets.connect(url, max_size=s.MAX_SIZE, ping_interval=None) as ws:
        await ws.send(command)
        try:
            message = await asyncio.wait_for(ws.recv(), TIMEOUT)
            raise AssertionError("expected the connection to end, got a message: " + str(message)[:80])
        except websockets.ConnectionClosed:
            pass
        await asyncio.wait_for(ws.wait_closed(), TIMEOUT)
        return ws


async def second_connection(url):
    ws = await server_ends(url, f"{s.CLOSE_COMMAND}{s.SERVER_CLOSE[0]} {s.SERVER_CLOSE[1]}")
    s.report(f"SERVER-CLOSE {ws.close_code} {ws.close_reason}")


async def server_terminates(url):
    ws = await server_ends(url, s.TERMINATE_COMMAND)
    s.report(f"SERVER-TERMINATE {ws.close_code}")


async def client_aborts(url):
    ws = await websockets.connect(url, max_size=s.MAX_SIZE, ping_interval=None)
    ws.transport.abort()
    await asyncio.wait_for(ws.wait_closed(), TIMEOUT)
    s.report("ABORTED")


async def main(url):
    await first_connection(url)
    await second_connection(url)
    await server_terminates(url)
    await client_aborts(url)
    s.report("DONE")


if __name__ == "__main__":
    try:
        asyncio.run(main(sys.argv[1]))
    except Exception as e:  # reported as a transcript line; the traceback goes to stderr
        s.report(f"FAIL {type(e).__name__}: {e}")
        raise
    sys.exit(1 if s.failed else 0)
