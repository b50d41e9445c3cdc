"""The interop scenario's shared parts (see io.duplex.interop.Scenario and Payloads): payloads and commands."""

SIZES = [0, 1, 125, 126, 65535, 65536, 16 << 20]
UNIT = "aé€😀"  # one character of each UTF-8 length: 1 + 2 + 3 + 4 = 10 bytes
CLIENT_PING = "ping-é" + "." * 118  # 125 bytes, the most a control frame carries
SERVER_PING = "srv-ping-€" + "." * 113  # 125 bytes
CLIENT_CLOSE = (4000, "client bye é😀")
SERVER_CLOSE = (4001, "server bye")
PING_COMMAND = "cmd:ping "
CLOSE_COMMAND = "cmd:close "
TERMINATE_COMMAND = "cmd:terminate"  # drop the TCP connection without a Close
PONG_RECEIVED = "pong-received "
MAX_SIZE = 32 << 20
FRAGMENTED_SIZE = 65536
PART_SIZE = 4093  # a prime: parts split the 10-byte text unit

_PERIOD = bytes(i % 251 for i in range(251))


def text(n):
    """Text whose UTF-8 encoding is exactly n bytes long."""
    return UNIT * (n // 10) + "x" * (n % 10)


def binary(n):
    """n bytes, byte i being i % 251."""
    return (_PERIOD * (n // 251 + 1))[:n]


failed = False


def report(line):
    """Prints a transcript line; a BAD or FAIL line makes a client exit with 1 (see client.py)."""
    global failed
    failed = failed or " BAD" in line or line.startswith("FAIL")
    print(line, flush=True)
