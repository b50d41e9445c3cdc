package io.duplex.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * The test's side of a WebSocket connection on a blocking {@link Socket}, playing the role opposite the
 * testee byte by byte: it writes hand-built frames (masked when it plays the client, §5.3), in pieces of a
 * chosen size, and reads and checks every frame the testee sends.
 *
 * <p>Every wait has an upper bound; none is a sleep.
 */
abstract class RawPeer implements AutoCloseable {

    /** The bound on waiting for an answer that should come at once. */
    static final Duration PROMPT = Duration.ofSeconds(5);
    /** The time a testee has to fail a connection: send its Close and drop TCP. */
    static final Duration FAIL_WITHIN = Duration.ofSeconds(2);

    private final Socket socket;
    private final OutputStream out;
    /** The {@code Sec-WebSocket-Extensions} the client side offered in the opening handshake; empty for none. */
    String extensionsOffered = "";
    /** The {@code Sec-WebSocket-Extensions} of the 101 response, what both sides agreed; empty for none. */
    String extensionsAgreed = "";
    private final FrameReader reader;
    private int chop;

    /** @param in the socket's input, already past the opening handshake's head */
    RawPeer(Socket socket, InputStream in) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        this.out = socket.getOutputStream();
        this.reader = new FrameReader(in);
    }

    static InputStream buffered(Socket socket) throws IOException {
        return new BufferedInputStream(socket.getInputStream(), 64 << 10);
    }

    /** The masking key for the next frame this peer sends, or null when it plays the server. */
    abstract byte[] nextMaskKey();

    /** Whether frames from the testee must be masked: true when the testee is the client (§5.1). */
    abstract boolean testeeMasks();

    /**
     * Ends a close handshake the testee has answered: as a client, waits for the server to drop TCP first
     * (§7.1.1); as a server, drops it.
     */
    abstract void finishClose() throws IOException;

    // ---- sending ----------------------------------------------------------------------------------------

    /** Writes everything after this in pieces of {@code bytes} (TCP_NODELAY is on); 0 writes each send whole. */
    RawPeer chop(int bytes) {
        this.chop = bytes;
        return this;
    }

    /** The bytes of one frame as this peer sends it (masked as a client). */
    byte[] frame(boolean fin, int rsv, int opcode, byte[] payload) {
        return FrameBytes.frame(fin, rsv, opcode, payload, nextMaskKey());
    }

    void sendFrame(boolean fin, int rsv, int opcode, byte[] payload) throws IOException {
        sendRaw(frame(fin, rsv, opcode, payload));
    }

    void send(int opcode, byte[] payload) throws IOException {
        sendFrame(true, 0, opcode, payload);
    }

    void sendText(String text) throws IOException {
        send(Frame.TEXT, utf8(text));
    }

    void sendClose(int code, String reason) throws IOException {
        send(Frame.CLOSE, FrameBytes.closePayload(code, reason));
    }

    /** The bytes of a message of {@code opcode} cut into frames of {@code fragment} payload bytes (the last may be shorter). */
    byte[] fragmented(int opcode, byte[] payload, int fragment) {
        int count = Math.max(1, (payload.length + fragment - 1) / fragment);
        byte[][] frames = new byte[count][];
        for (int i = 0; i < count; i++) {
            int from = i * fragment;
            frames[i] = frame(i == count - 1, 0, i == 0 ? opcode : Frame.CONTINUATION,
                    Arrays.copyOfRange(payload, from, Math.min(payload.length, from + fragment)));
        }
        return FrameBytes.concat(frames);
    }

    /** Several frames (from {@link #frame}) in one send, so the testee may read them in one go. */
    void sendFrames(byte[]... frames) throws IOException {
        sendRaw(FrameBytes.concat(frames));
    }

    /** A header alone, declaring {@code length} bytes that are never sent. */
    void sendHeader(boolean fin, int opcode, long length) throws IOException {
        sendRaw(FrameBytes.header(fin, 0, opcode, length, nextMaskKey()));
    }

    /**
     * Sends bytes the testee must reject. A testee that fails fast may drop TCP before it has read them all,
     * so a failed write is expected here; what the testee sent back is what the test checks.
     */
    void sendOffending(byte[] bytes) {
        try {
            sendRaw(bytes);
        } catch (IOException droppedEarly) {
            // the testee closed before the last byte; its Close is still in our receive buffer
        }
    }

    void sendRaw(byte[] bytes) throws IOException {
        if (chop <= 0) {
            out.write(bytes);
        } else {
            for (int off = 0; off < bytes.length; off += chop) {
                out.write(bytes, off, Math.min(chop, bytes.length - off));
            }
        }
        out.flush();
    }

    // ---- receiving --------------------------------------------------------------------------------------

    /** The next frame, checked for the masking rule of its sender (§5.1); fails if none comes in time. */
    Frame next(Duration within) throws IOException {
        socket.setSoTimeout(millis(within));
        Frame f;
        try {
            f = reader.read();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no frame from the testee within " + within, e);
        }
        if (f == null) {
            throw new AssertionError("the testee closed TCP where a frame was expected");
        }
        assertEquals(testeeMasks(), f.masked(), () -> "MASK bit of " + f + " (§5.1)");
        return f;
    }

    /**
     * Reads one whole data message: a frame of {@code opcode} and its continuations, no control frame in
     * between and no RSV bit (no extension is negotiated).
     */
    byte[] receiveMessage(int opcode) throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        int expected = opcode;
        while (true) {
            Frame f = next(PROMPT);
            int want = expected;
            assertEquals(want, f.opcode(), () -> "expected opcode " + want + ", got " + f);
            assertEquals(0, f.rsv(), () -> "RSV bits in " + f);
            message.write(f.payload(), 0, f.payload().length);
            if (f.fin()) {
                return message.toByteArray();
            }
            expected = Frame.CONTINUATION;
        }
    }

    void expectText(String expected) throws IOException {
        String echoed = Frame.strictUtf8(receiveMessage(Frame.TEXT), 0);
        if (!expected.equals(echoed)) {
            // assertEquals on megabyte strings would print them whole.
            fail("text echo differs: expected " + expected.length() + " chars, got " + echoed.length());
        }
    }

    void expectBinary(byte[] expected) throws IOException {
        assertArrayEquals(expected, receiveMessage(Frame.BINARY), "binary echo");
    }

    void expectPong(byte[] payload) throws IOException {
        Frame f = next(PROMPT);
        assertEquals(Frame.PONG, f.opcode(), () -> "expected a Pong, got " + f);
        assertTrue(f.fin(), "a control frame is never fragmented (§5.5)");
        assertArrayEquals(payload, f.payload(), "Pong payload (§5.5.3)");
    }

    /** The next frame must be a Close with {@code code} (-1: without a body). */
    Frame expectClose(int code, Duration within) throws IOException {
        Frame f = next(within);
        assertEquals(Frame.CLOSE, f.opcode(), () -> "expected Close " + code + ", got " + f);
        assertTrue(f.fin(), "a control frame is never fragmented (§5.5)");
        assertEquals(code, f.closeCode(), "close code");
        return f;
    }

    /**
     * The testee must drop TCP within {@code within} and send nothing more. A reset counts as dropped: a
     * testee that closes with our unread bytes in its buffer makes the kernel send RST.
     *
     * @return how long it took
     */
    Duration expectTcpClosed(Duration within) throws IOException {
        long start = System.nanoTime();
        socket.setSoTimeout(millis(within));
        try {
            Frame f = reader.read();
            if (f != null) {
                fail("frame after the close: " + f);
            }
        } catch (SocketTimeoutException e) {
            fail("the testee did not close TCP within " + within);
        } catch (SocketException e) {
            assertTrue(String.valueOf(e.getMessage()).contains("reset"), () -> "unexpected " + e);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** The testee must stay connected and silent for {@code quiet}: a lower bound, so it never fails spuriously. */
    void expectOpenAndSilent(Duration quiet) throws IOException {
        socket.setSoTimeout(millis(quiet));
        try {
            Frame f = reader.read();
            fail(f == null ? "the testee closed TCP early" : "unexpected frame " + f);
        } catch (SocketTimeoutException expected) {
            // still open, nothing sent
        }
    }

    /**
     * The testee failed the connection: its Close with {@code code} arrives within {@link #FAIL_WITHIN}
     * (nothing before it), then TCP drops without our answer and with nothing after the Close.
     */
    void expectFailure(int code) throws IOException {
        expectClose(code, FAIL_WITHIN);
        expectTcpClosed(FAIL_WITHIN);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int millis(Duration d) {
        return (int) Math.max(1, d.toMillis());
    }
}
