package io.duplex.bench.servers;

/**
 * The one text message the echo servers do not echo: {@code broadcast:<size>} asks the server to send one
 * binary message of {@code size} bytes to every open connection (the load generator's broadcast mode). When
 * the library reports the fan-out done (every frame written or queued), the server answers the trigger's
 * connection with {@code broadcast-done:<microseconds since the trigger was read>}: the server's own time,
 * which the load generator cannot see when it is itself the bottleneck of reading 10,000 connections.
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

    static String done(long startNanos) {
        return "broadcast-done:" + (System.nanoTime() - startNanos) / 1000;
    }

    static byte[] payload(int size) {
        byte[] b = new byte[size];
        java.util.Arrays.fill(b, (byte) 'b');
        return b;
    }
}
