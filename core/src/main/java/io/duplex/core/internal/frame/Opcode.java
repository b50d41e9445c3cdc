package io.duplex.core.internal.frame;

/**
 * Frame opcodes (RFC 6455 §5.2, §11.8). Plain {@code int} constants so the decoder's hot path never boxes.
 * Opcodes 0x3–0x7 are reserved for further non-control frames and 0xB–0xF for further control frames; a peer
 * that sends one fails the connection (§5.2: "MUST _Fail the WebSocket Connection_").
 */
public final class Opcode {

    /** 0x0: a continuation frame of a fragmented message (§5.4). */
    public static final int CONTINUATION = 0x0;
    /** 0x1: the first frame of a text message. */
    public static final int TEXT = 0x1;
    /** 0x2: the first frame of a binary message. */
    public static final int BINARY = 0x2;
    /** 0x8: a Close control frame (§5.5.1). */
    public static final int CLOSE = 0x8;
    /** 0x9: a Ping control frame (§5.5.2). */
    public static final int PING = 0x9;
    /** 0xA: a Pong control frame (§5.5.3). */
    public static final int PONG = 0xA;

    private Opcode() {
    }

    /** Whether {@code opcode} denotes a control frame: the high bit of the 4-bit opcode is set (§5.5). */
    public static boolean isControl(int opcode) {
        return (opcode & 0x8) != 0;
    }

    /** Whether {@code opcode} is one of the six opcodes RFC 6455 defines. */
    public static boolean isDefined(int opcode) {
        return (opcode >= CONTINUATION && opcode <= BINARY) || (opcode >= CLOSE && opcode <= PONG);
    }

    /** A short name for messages and logs, such as {@code "TEXT"} or {@code "reserved 0x3"}. */
    public static String name(int opcode) {
        return switch (opcode) {
            case CONTINUATION -> "CONTINUATION";
            case TEXT -> "TEXT";
            case BINARY -> "BINARY";
            case CLOSE -> "CLOSE";
            case PING -> "PING";
            case PONG -> "PONG";
            default -> "reserved 0x" + Integer.toHexString(opcode);
        };
    }
}
