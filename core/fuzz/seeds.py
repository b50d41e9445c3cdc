#!/usr/bin/env python3
"""Writes the hand-made seed inputs of the fuzz targets' corpus (docs/fuzzing.md).

Run from anywhere: python3 core/fuzz/seeds.py. It (re)writes only the files named here, all prefixed
"seed-"; inputs the fuzzer found (crash-*, and what fuzz.sh adds) stay as they are. Each input's layout is
the one its target's Javadoc describes.
"""
import os
import zlib

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "io", "duplex", "core", "engine")
RFC_KEY = "dGhlIHNhbXBsZSBub25jZQ=="
RFC_ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
MASK = bytes([0x37, 0xFA, 0x21, 0x3D])  # RFC 6455 §5.7's masking key


def write(target, method, name, data):
    d = os.path.join(ROOT, target + "Inputs", method)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


def frame(opcode, payload, fin=True, rsv=0, mask=None, length=None):
    n = len(payload) if length is None else length
    out = bytearray([(0x80 if fin else 0) | (rsv << 4) | opcode])
    m = 0x80 if mask else 0
    if n < 126:
        out.append(m | n)
    elif n < 65536:
        out += bytes([m | 126]) + n.to_bytes(2, "big")
    else:
        out += bytes([m | 127]) + n.to_bytes(8, "big")
    if mask:
        out += mask
        payload = bytes(b ^ mask[i & 3] for i, b in enumerate(payload))
    return bytes(out + payload)


def session_seeds():
    # [options][chunk] wire...; options bits 0-1: 0 defaults (16 MiB), 1 1 MiB, 2 125/1000, 3 64 KiB/256 KiB.
    for method, mask in (("serverSession", MASK), ("clientSession", None)):
        def put(name, wire, options=0, chunk=0):
            write("SessionFuzzTest", method, name, bytes([options, chunk]) + wire)

        # RFC 6455 §5.7 examples (masked toward a server, unmasked toward a client).
        put("rfc6455-hello", frame(0x1, b"Hello", mask=mask))
        put("rfc6455-hello-split", frame(0x1, b"Hello", mask=mask), chunk=1)
        put("rfc6455-fragmented", frame(0x1, b"Hel", fin=False, mask=mask) + frame(0x0, b"lo", mask=mask), chunk=3)
        put("rfc6455-ping", frame(0x9, b"Hello", mask=mask))
        put("rfc6455-pong", frame(0xA, b"Hello", mask=mask))
        put("rfc6455-256-bytes", frame(0x2, bytes(i & 0xFF for i in range(256)), mask=mask), options=3, chunk=7)
        put("rfc6455-64KiB", frame(0x2, bytes(i * 7 & 0xFF for i in range(65536)), mask=mask), options=1, chunk=200)
        put("close-1000", frame(0x8, (1000).to_bytes(2, "big") + b"bye", mask=mask))
        put("ping-inside-fragments", frame(0x1, b"Hel", fin=False, mask=mask) + frame(0x9, b"", mask=mask)
            + frame(0x0, b"lo", mask=mask) + frame(0x8, b"", mask=mask), options=4, chunk=5)
        # Issue #12 §1: a header declaring a maximum-size frame (the default 16 MiB), then 16 payload bytes;
        # binary, text, and as the first fragment of a message. Also at the 1 MiB limit.
        head16 = bytes(range(16))
        for name, opcode, fin in (("binary", 0x2, True), ("text", 0x1, True), ("fragment", 0x2, False)):
            f = frame(opcode, b"", fin=fin, mask=mask, length=16 << 20)
            put("issue12-max-frame-16-bytes-" + name, f + head16)
        put("issue12-max-frame-16-bytes-1MiB", frame(0x2, b"", mask=mask, length=1 << 20) + head16, options=1)
        # Issue #12 §2: a burst of pings from a peer that never reads.
        put("issue12-ping-burst", frame(0x9, b"ping", mask=mask) * 2000)


def handshake_seeds():
    valid = ("GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
             "Sec-WebSocket-Key: " + RFC_KEY + "\r\nOrigin: http://example.com\r\n"
             "Sec-WebSocket-Protocol: chat, superchat\r\nSec-WebSocket-Version: 13\r\n\r\n").encode("latin-1")
    w = lambda name, data, chunk=0: write("ServerHandshakeFuzzTest", "request", name, bytes([chunk]) + data)
    w("rfc6455-1.3-request", valid)
    w("rfc6455-1.3-request-split", valid, chunk=1)
    deflate = valid.replace(b"\r\n\r\n", b"\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits,"
                            b" permessage-deflate; server_max_window_bits=10\r\n\r\n")
    w("rfc7692-offers", deflate, chunk=13)
    w("request-then-frame", valid + frame(0x1, b"Hello", mask=MASK), chunk=40)
    w("plain-http", b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n")
    w("evil-origin", valid.replace(b"http://example.com", b"http://evil.example"))

    response = ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Accept: " + RFC_ACCEPT + "\r\nSec-WebSocket-Protocol: chat\r\n\r\n").encode("latin-1")
    c = lambda name, data, chunk=0: write("ClientHandshakeFuzzTest", "response", name, bytes([chunk]) + data)
    c("rfc6455-1.3-response", response)
    c("rfc6455-1.3-response-split", response, chunk=1)
    c("rfc7692-accepted", response.replace(b"\r\n\r\n", b"\r\nSec-WebSocket-Extensions: permessage-deflate;"
                                           b" server_no_context_takeover; client_max_window_bits=10\r\n\r\n"), chunk=9)
    c("response-then-frame", response + frame(0x1, b"Hello"), chunk=50)
    c("refused-403", b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")

    e = lambda name, text: write("ExtensionHeaderFuzzTest", "fieldValues", name, text.encode("latin-1"))
    e("rfc7692-5-offers", "permessage-deflate; client_max_window_bits, permessage-deflate")
    e("rfc7692-7.1-params", "permessage-deflate; server_no_context_takeover; client_no_context_takeover;"
      " server_max_window_bits=10; client_max_window_bits=15")
    e("quoted-value", 'permessage-deflate; client_max_window_bits="10"\nfoo; bar=baz')
    e("duplicate-param", "permessage-deflate; server_max_window_bits=10; server_max_window_bits=11, permessage-deflate")


def inflater_seeds():
    # [options][cut][split] payload; options bits 0-1 limit (125, 1000, 4096, 64 KiB), 2 streaming, 3 text,
    # 4 client_no_context_takeover, 5 two messages cut at cut%, 6 each message in two frames cut at split%.
    w = lambda name, options, cut, split, payload: write("InflaterFuzzTest", "compressedMessages", name,
                                                         bytes([options, cut, split]) + payload)
    hello = bytes.fromhex("f248cdc9c90700")
    w("rfc7692-7.2.3.1-hello", 8 | 1, 0, 0, hello)
    w("rfc7692-7.2.3.1-hello-fragmented", 8 | 64 | 1, 0, 43, hello)  # "f2 48 cd" + "c9 c9 07 00"
    # §7.2.3.2: the second "Hello" refers to the first's window; the payload is cut after 7 of its 12 bytes.
    w("rfc7692-7.2.3.2-shared-window", 8 | 32 | 1, 58, 0, hello + bytes.fromhex("f200110000"))
    w("rfc7692-7.2.3.3-stored", 8 | 1, 0, 0, bytes.fromhex("0005 00faff 48656c6c6f 00".replace(" ", "")))
    w("rfc7692-7.2.3.4-bfinal", 8 | 1, 0, 0, bytes.fromhex("f348cdc9c90700 00".replace(" ", "")))
    # Issue #12: a deflate bomb, 16 MiB of zeros in about 16 KB, against 64 KiB and 1000-byte limits.
    z = zlib.compressobj(9, zlib.DEFLATED, -15)
    bomb = z.compress(bytes(16 << 20)) + z.flush(zlib.Z_SYNC_FLUSH)
    assert bomb.endswith(b"\x00\x00\xff\xff")
    bomb = bomb[:-4]
    w("issue12-deflate-bomb-64KiB", 3, 0, 0, bomb)
    w("issue12-deflate-bomb-1000-streaming", 4 | 1, 0, 0, bomb)
    w("issue12-deflate-bomb-text-fragmented", 8 | 64 | 2, 0, 50, bomb)


session_seeds()
handshake_seeds()
inflater_seeds()
