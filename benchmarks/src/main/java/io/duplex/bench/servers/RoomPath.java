package io.duplex.bench.servers;

/**
 * The room a load-generator connection asks for: {@code GET /room/<name>} joins room {@code name}; any other
 * path joins none (the connection is an echo connection, as for the echo servers).
 */
final class RoomPath {

    private static final String PREFIX = "/room/";

    private RoomPath() {
    }

    /** @return the room named by {@code path}, or null */
    static String room(String path) {
        return path.startsWith(PREFIX) && path.length() > PREFIX.length() ? path.substring(PREFIX.length()) : null;
    }
}
