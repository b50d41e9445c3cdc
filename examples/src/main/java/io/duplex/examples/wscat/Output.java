package io.duplex.examples.wscat;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Where wscat writes: messages on stdout (text as is, binary as hex), one per line, and the connection's
 * events on stderr, so that stdout can be piped to another program. Both flush at each line. Thread-safe.
 */
final class Output {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true,
            StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true,
            StandardCharsets.UTF_8);

    /** A received text message. */
    void text(String text) {
        out.println(text);
    }

    /** A received binary message, as lowercase hex. */
    void binary(ByteBuffer data) {
        out.println(hex(data));
    }

    /** An event of the connection (connected, pong, closed), or an error. */
    void event(String line) {
        err.println("wscat: " + line);
    }

    /** The bytes between {@code data}'s position and limit as lowercase hex; the position does not move. */
    static String hex(ByteBuffer data) {
        StringBuilder s = new StringBuilder(data.remaining() * 2);
        for (int i = data.position(); i < data.limit(); i++) {
            int b = data.get(i) & 0xff;
            s.append(HEX[b >>> 4]).append(HEX[b & 0xf]);
        }
        return s.toString();
    }
}
