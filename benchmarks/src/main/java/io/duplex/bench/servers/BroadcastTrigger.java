package io.duplex.bench.servers;

/**
 * The one text message the echo servers do not echo: {@code broadcast:<size>} asks the server to send one
 * binary message of {@code size} bytes to every open connection (the load generator's broadcast mode).
 */
final class BroadcastTrigger {

    static final String PREFIX = "broadcast:";

    private BroadcastTrigger() {
    }

    /** @return the requested size, or -1 if {@code text} is an ordinary message to echo */
    static int size(CharSequence text) {
        if (text.length() <= PREFIX.length() || text.length() > PREFIX.length() + 9
                || !text.toString().startsWith(PREFIX)) {
            return -1;
        }
        return Integer.parseInt(text, PREFIX.length(), text.length(), 10);
    }

    static byte[] payload(int size) {
        byte[] b = new byte[size];
        java.util.Arrays.fill(b, (byte) 'b');
        return b;
    }
}
