package io.duplex.bench.soak;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * One soak client: runs connect / upgrade (offering permessage-deflate) / echo / end cycles over plain blocking
 * sockets, written from RFC 6455 and RFC 7692 rather than with Duplex, so that a bug shared by both ends cannot
 * hide. Each cycle echoes a compressed text message (its echo must come back compressed and inflate to the same
 * text) and a small binary one (below the server's compression threshold: it must come back uncompressed),
 * then ends as its {@link Kind} says. Not thread-safe: one per driver thread.
 */
final class SoakClient {

    /** How a cycle ends. */
    enum Kind {
        /** Close 1000, the server's Close 1000, then the server's FIN. */
        CLEAN,
        /** FIN without a Close frame. */
        FIN,
        /** RST (SO_LINGER 0) without a Close frame. */
        RST,
        /** Sends 4 KiB messages and reads 1 KiB every 10 ms until the server's outbound limit acts. */
        SLOW
    }

    /** What the server did at the end of a cycle, as the client saw it. */
    enum Outcome {
        CLEAN_CLOSE, FIN_SENT, RST_SENT,
        /** The slow reader received the whole Close frame with 1013. */
        SLOW_CLOSE_1013,
        /** The slow reader's connection was reset before a Close reached it (defect 3 of issue 12). */
        SLOW_RESET,
        /** The slow reader saw the server's FIN without a Close frame. */
        SLOW_EOF
    }

    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
    private static final byte[] SYNC_TAIL = {0, 0, (byte) 0xff, (byte) 0xff};
    private static final int TEXT = 1;
    private static final int BINARY = 2;
    private static final int CLOSE = 8;
    /**
     * At most 4 KiB, so the server assembles these messages on the heap: its direct assembly pool keeps per
     * loop thread up to 8 MiB of released buffers that no accessor reports, which would blur the comparison
     * of direct memory.
     */
    private static final int SLOW_MESSAGE = 4 << 10;
    private static final int SLOW_READ = 1 << 10;
    private static final int SLOW_RCVBUF = 4 << 10;
    private static final long SLOW_READ_PAUSE_MILLIS = 10;
    /**
     * What a slow reader sends at most: far more than the server's outbound limit and socket buffers hold, so a
     * server that never acts leaves the reader waiting for a Close that does not come (a failed cycle).
     */
    private static final long SLOW_SEND_BUDGET = 16L << 20;
    private static final int SOURCE_ADDRESSES = 64;

    private final InetSocketAddress server;
    private final byte[] request;
    private final Deflater deflater = new Deflater(6, true);
    private final Inflater inflater = new Inflater(true);
    private final SplittableRandom random;
    private final byte[] slowPayload = new byte[SLOW_MESSAGE];
    private byte[] frame = new byte[SLOW_MESSAGE + 14];
    private byte[] scratch = new byte[4096];

    SoakClient(InetSocketAddress server, long seed) {
        this.server = server;
        this.random = new SplittableRandom(seed);
        this.request = ("GET /soak HTTP/1.1\r\nHost: " + server.getHostString() + ":" + server.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + KEY
                + "\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Runs cycle {@code n}.
     *
     * @throws IOException on anything the server should not have done (or the machine refused)
     */
    Outcome cycle(long n, Kind kind) throws IOException {
        deflater.reset();
        inflater.reset();
        try (Socket s = new Socket()) {
            if (kind == Kind.SLOW) {
                s.setReceiveBufferSize(SLOW_RCVBUF);
            }
            // Spread over many source addresses: 100,000 cycles would exhaust one address's ephemeral ports
            // with the TIME_WAITs they leave.
            s.bind(new InetSocketAddress(InetAddress.getByAddress(
                    new byte[] {127, 0, 1, (byte) (10 + n % SOURCE_ADDRESSES)}), 0));
            s.connect(server, 10_000);
            // Only bounds a hang: on a loaded machine a slow reader's server can be busy compressing for seconds.
            s.setSoTimeout(30_000);
            s.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(s.getInputStream(), 4096);
            OutputStream out = new BufferedOutputStream(s.getOutputStream(), 4096);
            upgrade(in, out);
            echo(n, in, out);
            switch (kind) {
                case CLEAN:
                    return cleanClose(in, out);
                case FIN:
                    return Outcome.FIN_SENT;
                case RST:
                    s.setSoLinger(true, 0);
                    return Outcome.RST_SENT;
                default:
                    return slowReader(s, in, out);
            }
        }
    }

    private void upgrade(InputStream in, OutputStream out) throws IOException {
        out.write(request);
        out.flush();
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("EOF in the handshake response: " + head);
            }
            head.append((char) b);
        }
        String h = head.toString();
        if (!h.startsWith("HTTP/1.1 101") || !h.contains(ACCEPT)
                || !h.toLowerCase(java.util.Locale.ROOT).contains("sec-websocket-extensions: permessage-deflate")) {
            throw new IOException("not a 101 with permessage-deflate: " + h);
        }
    }

    private void echo(long n, InputStream in, OutputStream out) throws IOException {
        StringBuilder text = new StringBuilder(1100).append("cycle ").append(n);
        while (text.length() < 1000) {
            text.append(' ').append("word").append(random.nextInt(64));
        }
        byte[] utf8 = text.toString().getBytes(StandardCharsets.UTF_8);
        int len = compress(utf8);
        writeFrame(out, TEXT, true, scratch, len);
        byte[] small = new byte[100];
        random.nextBytes(small);
        writeFrame(out, BINARY, false, small, small.length);
        out.flush();

        Frame t = readFrame(in);
        if (t.opcode != TEXT || !t.rsv1 || !Arrays.equals(inflate(t.payload), utf8)) {
            throw new IOException("the text echo is not the compressed text sent: opcode " + t.opcode);
        }
        Frame b = readFrame(in);
        if (b.opcode != BINARY || b.rsv1 || !Arrays.equals(b.payload, small)) {
            throw new IOException("the binary echo is not the uncompressed bytes sent: opcode " + b.opcode);
        }
    }

    private Outcome cleanClose(InputStream in, OutputStream out) throws IOException {
        writeFrame(out, CLOSE, false, new byte[] {0x03, (byte) 0xe8}, 2);
        out.flush();
        Frame c = readFrame(in);
        if (c.opcode != CLOSE || c.payload.length < 2 || closeCode(c.payload) != 1000) {
            throw new IOException("no Close 1000 in answer to Close 1000: opcode " + c.opcode);
        }
        if (in.read() != -1) {
            throw new IOException("bytes after the server's Close");
        }
        return Outcome.CLEAN_CLOSE;
    }

    /**
     * Sends 4 KiB messages as fast as the socket takes them (up to a budget) while another thread reads 1 KiB
     * every 10 ms, until the server's outbound limit acts. Once the writer is done or has stalled for a second
     * (the server stopped reading) the reader reads at full speed, so a Close queued behind the echoes can
     * arrive; once it has the Close (or the connection ended) it closes the socket, which also ends a write
     * still blocked.
     */
    private Outcome slowReader(Socket socket, InputStream in, OutputStream out) throws IOException {
        SlowReader reader = new SlowReader(socket, in);
        Thread thread = new Thread(reader, Thread.currentThread().getName() + "-slow-reader");
        thread.start();
        long sent = 0;
        try {
            while (!reader.finished && sent < SLOW_SEND_BUDGET) {
                random.nextBytes(slowPayload);
                writeFrame(out, BINARY, false, slowPayload, slowPayload.length);
                out.flush();
                sent += slowPayload.length;
                reader.lastWrite = System.nanoTime();
            }
        } catch (SocketException e) {
            // The server (or our reader) closed while we were still sending.
        } finally {
            reader.writerDone = true;
        }
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            socket.close();
            throw new IOException("the slow reader saw no end of the connection in 60 s");
        }
        if (reader.error != null) {
            throw reader.error;
        }
        if (reader.outcome == Outcome.SLOW_CLOSE_1013 && reader.code != 1013) {
            throw new IOException("the slow reader got Close " + reader.code + ", not 1013");
        }
        return reader.outcome;
    }

    /** The reading half of a slow reader. */
    private static final class SlowReader implements Runnable {
        private static final long STALLED_NANOS = 1_000_000_000L;
        private final Socket socket;
        private final InputStream in;
        volatile long lastWrite = System.nanoTime();
        volatile boolean writerDone;
        volatile boolean finished;
        volatile Outcome outcome;
        volatile int code = -1;
        volatile IOException error;

        SlowReader(Socket socket, InputStream in) {
            this.socket = socket;
            this.in = in;
        }

        @Override
        public void run() {
            FrameScanner scanner = new FrameScanner();
            byte[] chunk = new byte[SLOW_READ];
            try {
                while (true) {
                    int r = in.read(chunk, 0, chunk.length);
                    if (r < 0) {
                        outcome = Outcome.SLOW_EOF;
                        break;
                    }
                    int c = scanner.feed(chunk, r);
                    if (c >= 0) {
                        code = c;
                        outcome = Outcome.SLOW_CLOSE_1013;
                        break;
                    }
                    if (!writerDone && System.nanoTime() - lastWrite < STALLED_NANOS) {
                        Thread.sleep(SLOW_READ_PAUSE_MILLIS);
                    }
                }
            } catch (SocketException e) {
                outcome = Outcome.SLOW_RESET;
            } catch (IOException e) {
                error = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                finished = true;
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing is all that is left to do
                }
            }
        }
    }

    /** Compresses {@code data} as one permessage-deflate message into {@link #scratch}; returns its length. */
    private int compress(byte[] data) {
        deflater.setInput(data);
        int len = 0;
        while (true) {
            if (len == scratch.length) {
                scratch = Arrays.copyOf(scratch, scratch.length * 2);
            }
            int n = deflater.deflate(scratch, len, scratch.length - len, Deflater.SYNC_FLUSH);
            len += n;
            if (len < scratch.length && deflater.needsInput()) {
                break;
            }
        }
        return len - SYNC_TAIL.length; // RFC 7692 §7.2.1: the sender drops the flush's empty block
    }

    private byte[] inflate(byte[] payload) throws IOException {
        byte[] input = Arrays.copyOf(payload, payload.length + SYNC_TAIL.length);
        System.arraycopy(SYNC_TAIL, 0, input, payload.length, SYNC_TAIL.length);
        inflater.setInput(input);
        byte[] result = new byte[2048];
        int len = 0;
        try {
            while (!inflater.needsInput()) {
                if (len == result.length) {
                    result = Arrays.copyOf(result, result.length * 2);
                }
                len += inflater.inflate(result, len, result.length - len);
            }
        } catch (DataFormatException e) {
            throw new IOException("the server's compressed echo does not inflate", e);
        }
        return Arrays.copyOf(result, len);
    }

    private void writeFrame(OutputStream out, int opcode, boolean rsv1, byte[] payload, int len) throws IOException {
        if (frame.length < len + 14) {
            frame = new byte[len + 14];
        }
        int p = 0;
        frame[p++] = (byte) (0x80 | (rsv1 ? 0x40 : 0) | opcode);
        if (len < 126) {
            frame[p++] = (byte) (0x80 | len);
        } else if (len < 65536) {
            frame[p++] = (byte) (0x80 | 126);
            frame[p++] = (byte) (len >>> 8);
            frame[p++] = (byte) len;
        } else {
            frame[p++] = (byte) (0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame[p++] = (byte) ((long) len >>> shift);
            }
        }
        int key = random.nextInt();
        byte[] mask = {(byte) (key >>> 24), (byte) (key >>> 16), (byte) (key >>> 8), (byte) key};
        System.arraycopy(mask, 0, frame, p, 4);
        p += 4;
        for (int i = 0; i < len; i++) {
            frame[p + i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        out.write(frame, 0, p + len);
    }

    private record Frame(int opcode, boolean rsv1, byte[] payload) {
    }

    private static Frame readFrame(InputStream in) throws IOException {
        int b0 = readByte(in);
        int b1 = readByte(in);
        if ((b0 & 0x80) == 0 || (b1 & 0x80) != 0) {
            throw new IOException("expected an unmasked final frame from the server");
        }
        long len = b1 & 0x7f;
        if (len == 126) {
            len = (readByte(in) << 8) | readByte(in);
        } else if (len == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) {
                len = (len << 8) | readByte(in);
            }
        }
        if (len > (1 << 20)) {
            throw new IOException("unexpected frame length " + len);
        }
        byte[] payload = in.readNBytes((int) len);
        if (payload.length != len) {
            throw new EOFException("EOF in a frame");
        }
        return new Frame(b0 & 0x0f, (b0 & 0x40) != 0, payload);
    }

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("EOF in a frame header");
        }
        return b;
    }

    static int closeCode(byte[] payload) {
        return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
    }
}
