package io.duplex.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.duplex.core.deflate.PerMessageDeflate;
import io.duplex.nio.TransportBuilder;
import io.duplex.nio.WebSocketClient;
import io.duplex.nio.WebSocketServer;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** The base of the permessage-deflate sections: opens testees with the extension enabled. */
abstract class DeflateConformanceTest extends ConformanceTest {

    /** What the raw client offers unless a case says otherwise. */
    static final String OFFER = "permessage-deflate";

    /** The raw server's answer unless a case says otherwise: the defaults, when our client offered deflate. */
    static final UnaryOperator<String> ACCEPT_DEFAULTS =
            offer -> offer.contains("permessage-deflate") ? "permessage-deflate" : "";

    /** Builder options enabling {@code deflate} in our endpoint, then applying {@code more}. */
    static Consumer<TransportBuilder<?>> with(PerMessageDeflate deflate, Consumer<TransportBuilder<?>> more) {
        return b -> {
            if (b instanceof WebSocketServer.Builder server) {
                server.extensions(List.of(deflate));
            } else {
                ((WebSocketClient.Builder) b).extensions(List.of(deflate));
            }
            more.accept(b);
        };
    }

    /**
     * As {@link #assertFailsBetween}, the valid message before {@code offending} compressed by {@code deflate}
     * (our endpoint may answer compressed or not): it is echoed, then the connection fails with {@code code}.
     */
    void assertFailsBetween(PeerDeflate deflate, byte[] offending, int code) throws Exception {
        RawPeer peer = testee.peer;
        byte[] before = RawPeer.utf8("before");
        peer.sendFrames(deflate.frames(Frame.TEXT, before, 0), offending,
                peer.frame(true, 0, Frame.PING, RawPeer.utf8("after")));
        assertArrayEquals(before, deflate.receive(Frame.TEXT).data(), "the message before the offending frame");
        assertFailed(code);
    }

    /** A testee with {@code deflate}, negotiated with the raw peer's default offer or answer. */
    RawPeer openDeflate(PerMessageDeflate deflate, Consumer<TransportBuilder<?>> more) throws Exception {
        return open(with(deflate, more), OFFER, ACCEPT_DEFAULTS);
    }
}
