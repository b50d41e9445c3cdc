package io.duplex.bench.soak;

/**
 * Walks the server's frames in bytes fed in arbitrary pieces, skipping data payloads, until a Close frame is
 * complete: what a slow reader needs to tell a whole Close from a connection cut mid-frame.
 */
final class FrameScanner {

    private final byte[] header = new byte[10];
    private int headerLength;
    private long payloadLeft = -1;
    private int opcode;
    private final byte[] closePayload = new byte[125];
    private int closeLength;

    /** Feeds {@code len} bytes of {@code data}; returns the close code once a Close frame is complete, else -1. */
    int feed(byte[] data, int len) {
        int i = 0;
        while (i < len) {
            if (payloadLeft < 0) {
                header[headerLength++] = data[i++];
                long need = headerNeeded();
                if (headerLength == need) {
                    startPayload();
                    if (payloadLeft == 0 && opcode == 8) {
                        return 1005; // a Close without a code
                    }
                }
                continue;
            }
            int n = (int) Math.min(payloadLeft, len - i);
            if (opcode == 8) {
                System.arraycopy(data, i, closePayload, closeLength, n);
                closeLength += n;
            }
            i += n;
            payloadLeft -= n;
            if (payloadLeft == 0) {
                if (opcode == 8) {
                    return closeLength >= 2 ? SoakClient.closeCode(closePayload) : 1005;
                }
                payloadLeft = -1;
                headerLength = 0;
            }
        }
        return -1;
    }

    private int headerNeeded() {
        if (headerLength < 2) {
            return 2;
        }
        int len7 = header[1] & 0x7f;
        return len7 == 126 ? 4 : len7 == 127 ? 10 : 2;
    }

    private void startPayload() {
        opcode = header[0] & 0x0f;
        int len7 = header[1] & 0x7f;
        long len = len7;
        if (len7 == 126) {
            len = ((header[2] & 0xff) << 8) | (header[3] & 0xff);
        } else if (len7 == 127) {
            len = 0;
            for (int k = 2; k < 10; k++) {
                len = (len << 8) | (header[k] & 0xff);
            }
        }
        payloadLeft = len;
        if (len == 0 && opcode != 8) {
            payloadLeft = -1;
            headerLength = 0;
        }
    }
}
