package io.duplex.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocketConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The script every peer pair runs, and the transcripts each side must report. Every peer program, ours and
 * theirs, speaks the same line format so that one assertion checks them all.
 *
 * <p>The client, on a first connection: sends {@link Payloads#text} then {@link Payloads#binary} of each of
 * {@link Payloads#SIZES}, each awaiting its echo ({@code TEXT n OK}, {@code BINARY n OK}); where its API
 * can send a message in parts, sends text and binary of {@link #FRAGMENTED_SIZE} bytes each in several frames
 * ({@code FRAGMENTED TEXT n OK}, {@code FRAGMENTED BINARY n OK}); pings with {@link #CLIENT_PING} where
 * its API can ({@code PONG <payload>}); sends {@code cmd:ping <payload>}, upon which the server pings
 * and, once the client's automatic Pong arrives, sends {@code pong-received <payload>}
 * ({@code SERVER-PONG <payload>}); closes with {@link #CLIENT_CLOSE_CODE} and {@link #CLIENT_CLOSE_REASON}
 * ({@code CLOSE code reason}: the Close the server answered with). On a second connection it sends
 * {@code cmd:close 4001 server bye}, upon which the server closes ({@code SERVER-CLOSE code reason}: the
 * server's Close as the client saw it). Where its API can, it opens a third connection and closes it
 * without a status code ({@code NO-CODE-CLOSE code reason}: the server's answer). On the next it sends
 * {@code cmd:terminate}, upon which the server drops the TCP connection without a Close
 * ({@code SERVER-TERMINATE 1006}, with {@code (CLEAN)} appended if the API called it clean). Where its API can,
 * it opens one more and drops it without a Close ({@code ABORTED}). Then {@code DONE}.
 *
 * <p>The server reports each data message it received ({@code RECV TEXT n OK|BAD}), the Pong to its own
 * Ping ({@code SERVER-PONG <payload>}), and per connection the Close it received ({@code CLOSE code reason}).
 */
final class Scenario {

    /** 125 bytes, the most a control frame carries (RFC 6455 §5.5), with a 2-byte character. */
    static final String CLIENT_PING = "ping-é" + ".".repeat(118);
    /** 125 bytes, with a 3-byte character. */
    static final String SERVER_PING = "srv-ping-€" + ".".repeat(113);
    static final int CLIENT_CLOSE_CODE = 4000;
    /** Multi-byte, with a 4-byte character, to check that the reason crosses as UTF-8. */
    static final String CLIENT_CLOSE_REASON = "client bye é😀";
    static final int SERVER_CLOSE_CODE = 4001;
    static final String SERVER_CLOSE_REASON = "server bye";

    /**
     * The frame size of our side's fragmenting runs: a prime, so that frame boundaries fall inside UTF-8
     * sequences (and the 10-byte text unit) and the peer must join frames before it decodes the text.
     */
    static final int FRAGMENT_SIZE = 4093;

    /** The size of the messages a client sends in parts. */
    static final int FRAGMENTED_SIZE = 65_536;
    /** The size of the parts, a prime so that they split the text inside its 10-byte unit. */
    static final int PART_SIZE = 4093;

    static final String PING_COMMAND = "cmd:ping ";
    static final String CLOSE_COMMAND = "cmd:close ";
    /** Asks the server to drop the TCP connection without a Close (an abnormal closure, RFC 6455 §7.1.5). */
    static final String TERMINATE_COMMAND = "cmd:terminate";
    static final String PONG_RECEIVED = "pong-received ";

    private Scenario() {
    }

    /**
     * What a client API can do beyond whole messages and closes.
     *
     * @param pings whether it can send a Ping
     * @param fragments whether it can send a message in several frames
     * @param closesWithoutCode whether it can send a Close without a status code
     * @param aborts whether it can drop the connection without a Close
     */
    record ClientApi(boolean pings, boolean fragments, boolean closesWithoutCode, boolean aborts) {
        /** Node ws. */
        static final ClientApi FULL = new ClientApi(true, true, true, true);
        /** Python websockets, the JDK's client and ours: every Close carries a code. */
        static final ClientApi CODED_CLOSES = new ClientApi(true, true, false, true);
        /** The browser's WebSocket: whole messages only, no Ping, no abort. */
        static final ClientApi BROWSER = new ClientApi(false, false, true, false);
    }

    /** How many connections a client of {@code api} opens, so how many Closes its server reports. */
    static int connections(ClientApi api) {
        return 3 + (api.closesWithoutCode() ? 1 : 0) + (api.aborts() ? 1 : 0);
    }

    /** Our endpoints' configuration: default limits, and frames of {@code fragmentSize} bytes when positive. */
    static WebSocketConfig ourConfig(int fragmentSize) {
        return WebSocketConfig.builder().outboundFragmentSize(fragmentSize).build();
    }

    /** The lines a client reports when every step its API can do passed. */
    static List<String> expectedClientData(ClientApi api) {
        List<String> lines = new ArrayList<>();
        for (int n : Payloads.SIZES) {
            lines.add("TEXT " + n + " OK");
        }
        for (int n : Payloads.SIZES) {
            lines.add("BINARY " + n + " OK");
        }
        if (api.fragments()) {
            lines.add("FRAGMENTED TEXT " + FRAGMENTED_SIZE + " OK");
            lines.add("FRAGMENTED BINARY " + FRAGMENTED_SIZE + " OK");
        }
        if (api.pings()) {
            lines.add("PONG " + CLIENT_PING);
        }
        lines.add("SERVER-PONG " + SERVER_PING);
        return lines;
    }

    /**
     * Asserts a client's transcript: every data step, then the close codes it saw. The endpoint that
     * receives the first Close must report exactly its code and reason; the answering Close must repeat the
     * code (RFC 6455 §5.5.1: "typically echos the status code it received"), its reason being free.
     */
    static void assertClient(String peer, List<String> lines, ClientApi api) {
        List<String> data = new ArrayList<>();
        String close = null;
        String serverClose = null;
        String codelessClose = null;
        String terminated = null;
        for (String line : lines) {
            if (line.startsWith("CLOSE ")) {
                close = line;
            } else if (line.startsWith("SERVER-CLOSE ")) {
                serverClose = line;
            } else if (line.startsWith("NO-CODE-CLOSE ")) {
                codelessClose = line;
            } else if (line.startsWith("SERVER-TERMINATE ")) {
                terminated = line;
            } else if (!line.equals("DONE") && !line.equals("ABORTED")) {
                data.add(line);
            }
        }
        assertEquals(String.join("\n", expectedClientData(api)), String.join("\n", data),
                peer + ": client transcript");
        assertEchoedClose(peer + ": the Close the client got back for its own", close, CLIENT_CLOSE_CODE);
        assertEquals("SERVER-CLOSE " + SERVER_CLOSE_CODE + " " + SERVER_CLOSE_REASON, serverClose,
                peer + ": the server's Close as the client saw it");
        if (api.closesWithoutCode()) {
            // The answer to a Close without a code may itself have none (1005 for the API) or say 1000.
            assertTrue(codelessClose != null && codelessClose.matches("NO-CODE-CLOSE 100[05] .*"),
                    peer + ": the answer to a Close without a code: expected 1005 or 1000, got " + codelessClose);
        } else {
            assertEquals(null, codelessClose, peer + ": a Close without a code was not part of its script");
        }
        // RFC 6455 §7.1.5: a connection lost without a Close is closed with 1006, and not cleanly.
        assertEquals("SERVER-TERMINATE " + CloseStatus.ABNORMAL_CLOSURE, terminated,
                peer + ": the server dropped the connection without a Close");
        assertEquals(api.aborts(), lines.contains("ABORTED"), peer + ": whether the client aborted a connection");
        assertTrue(lines.contains("DONE"), peer + ": client did not finish:\n" + String.join("\n", lines));
    }

    /**
     * Asserts a server's transcript of one {@link Scenario} run with a client of {@code api}: one Close
     * per connection, {@link #connections} in all.
     */
    static void assertServer(String peer, List<String> lines, ClientApi api) {
        List<String> data = new ArrayList<>();
        List<String> closes = new ArrayList<>();
        for (String line : lines) {
            (line.startsWith("CLOSE ") ? closes : data).add(line);
        }
        List<String> expected = new ArrayList<>();
        for (int n : Payloads.SIZES) {
            expected.add("RECV TEXT " + n + " OK");
        }
        for (int n : Payloads.SIZES) {
            expected.add("RECV BINARY " + n + " OK");
        }
        if (api.fragments()) {
            expected.add("RECV TEXT " + FRAGMENTED_SIZE + " OK");
            expected.add("RECV BINARY " + FRAGMENTED_SIZE + " OK");
        }
        expected.add("SERVER-PONG " + SERVER_PING);
        assertEquals(String.join("\n", expected), String.join("\n", data), peer + ": server transcript");
        if (api.closesWithoutCode()) {
            // RFC 6455 §7.1.5: a Close without a status code is reported as 1005.
            assertTrue(closes.remove("CLOSE " + CloseStatus.NO_STATUS_RECEIVED + " "),
                    peer + ": the Close without a code as the server saw it: expected 1005 in " + closes);
        }
        List<String> abnormal = closes.stream().filter(l -> l.startsWith("CLOSE 1006 ")).toList();
        closes.removeAll(abnormal);
        // The connection the server dropped itself, and the one the client dropped when it can.
        assertEquals(api.aborts() ? 2 : 1, abnormal.size(), peer + ": abnormal closures (1006): " + abnormal);
        assertEquals(2, closes.size(), peer + ": one Close per connection, got " + closes);
        assertTrue(closes.stream().noneMatch(l -> l.endsWith("(UNCLEAN)")), peer + ": unclean close: " + closes);
        String clientClose = "CLOSE " + CLIENT_CLOSE_CODE + " " + CLIENT_CLOSE_REASON;
        assertTrue(closes.contains(clientClose), peer + ": the client's Close as the server saw it: expected "
                + clientClose + " in " + closes);
        String answer = closes.get(closes.get(0).equals(clientClose) ? 1 : 0);
        assertEchoedClose(peer + ": the Close the server got back for its own", answer, SERVER_CLOSE_CODE);
    }

    private static void assertEchoedClose(String what, String line, int code) {
        assertTrue(line != null && line.startsWith("CLOSE " + code + " "),
                what + ": expected code " + code + ", got \"" + line + "\"");
    }
}
