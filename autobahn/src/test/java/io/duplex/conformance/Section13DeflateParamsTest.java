package io.duplex.conformance;

import static io.duplex.conformance.DeflateParams.ABSENT;
import static io.duplex.conformance.DeflateParams.NO_VALUE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.deflate.PerMessageDeflate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Autobahn section 13, the permessage-deflate parameters (RFC 7692 §7.1). Against our server the raw client
 * offers each combination and checks the response against §7.1; against our client the raw server checks the
 * offer our client's settings make and answers it. Then messages flow both ways, and the raw peer proves that
 * the testee keeps what was agreed for what it sends: no back-reference farther than its window (§7.1.2), and
 * with no context takeover each message inflates on a fresh {@link java.util.zip.Inflater} and reaches into no
 * earlier message (§7.1.1). Offers (or responses) that break §7.1 are declined by our server and fail our
 * client's handshake.
 */
class Section13DeflateParamsTest {

    @Nested
    class OurServer extends Cases implements UnderTest.AgainstServer {
        /**
         * §7.1: "A server MUST decline an extension negotiation offer for this extension if ... [it] contains
         * multiple extension parameters with the same name": declined, so the next offer is taken, and the
         * handshake itself succeeds.
         */
        @ParameterizedTest(name = "case 13.7.10.{index} duplex: {0}")
        @ValueSource(strings = {"permessage-deflate; client_no_context_takeover; client_no_context_takeover",
            "permessage-deflate; server_max_window_bits=10; server_max_window_bits=10",
            "permessage-deflate; server_no_context_takeover; server_no_context_takeover, permessage-deflate"})
        void case_13_7_10_duplicated_parameters_are_declined(String offer) throws Exception {
            RawPeer peer = open(with(PerMessageDeflate.defaults(), b -> { }), offer, ACCEPT_DEFAULTS);
            String expected = offer.endsWith(", permessage-deflate") ? "permessage-deflate" : "";
            assertEquals(expected, peer.extensionsAgreed, "the offer with duplicates is declined, the next taken");
            closeNormally();
        }

        /** Several offers: the server takes the first it can accept, in the client's order (§5.1). */
        @Test
        void case_13_9_1_duplex_first_acceptable_of_several_offers() throws Exception {
            RawPeer peer = open(with(PerMessageDeflate.builder().threshold(0).build(), b -> { }),
                    "permessage-deflate; unknown_parameter=1, permessage-deflate; server_max_window_bits=10; "
                            + "client_max_window_bits, permessage-deflate", ACCEPT_DEFAULTS);
            DeflateParams agreed = DeflateParams.parse(peer.extensionsAgreed, true);
            p(false, false, 10, NO_VALUE).assertAcceptableResponse(agreed);
            try (PeerDeflate deflate = new PeerDeflate(peer, agreed.clientWindow(), false, false)) {
                exchange(deflate, agreed.serverWindow(), false);
            }
            closeNormally();
        }

        /** A server's own settings below the defaults bind it though the offer asked for nothing (§7.1.2.1). */
        @ParameterizedTest(name = "case 13.9.2 duplex: our server set to a {0}-bit window, no context takeover")
        @ValueSource(ints = {8, 11})
        void case_13_9_2_duplex_server_settings(int bits) throws Exception {
            RawPeer peer = open(with(PerMessageDeflate.builder().threshold(0).serverMaxWindowBits(bits)
                    .serverNoContextTakeover(true).build(), b -> { }), OFFER, ACCEPT_DEFAULTS);
            DeflateParams agreed = DeflateParams.parse(peer.extensionsAgreed, true);
            assertEquals(p(true, false, bits, ABSENT), agreed, "the response states the server's own limits");
            try (PeerDeflate deflate = new PeerDeflate(peer, 15, false, true)) {
                exchange(deflate, bits, true);
            }
            closeNormally();
        }
    }

    @Nested
    class OurClient extends Cases implements UnderTest.AgainstClient {
        /** Responses that break the client's offer fail our client's handshake (§7.1, RFC 6455 §4.1). */
        @ParameterizedTest(name = "case 13.8.{index} duplex: offer {0}, answered {1}")
        @MethodSource("badResponses")
        void case_13_8_response_that_breaks_the_offer(String settings, String response) throws Exception {
            PerMessageDeflate.Builder ours = PerMessageDeflate.builder();
            switch (settings) {
                case "server_no_context_takeover" -> ours.serverNoContextTakeover(true);
                case "server_max_window_bits=10" -> ours.serverMaxWindowBits(10);
                case "client_max_window_bits=10" -> ours.clientMaxWindowBits(10);
                default -> { }
            }
            assertHandshakeFails(ours.build(), response);
        }

        /**
         * Our client set to {@code client_no_context_takeover} keeps it though the server's response leaves it
         * out (the client may always compress without context takeover; our settings promise it, §7.1.1.2).
         */
        @Test
        void case_13_9_3_duplex_client_keeps_its_no_context_takeover() throws Exception {
            RawPeer peer = open(with(PerMessageDeflate.builder().threshold(0).clientNoContextTakeover(true).build(),
                    b -> { }), null, offer -> "permessage-deflate");
            assertTrue(DeflateParams.parse(peer.extensionsOffered, false).clientNoContextTakeover(), "offered");
            try (PeerDeflate deflate = new PeerDeflate(peer, 15, false, true)) {
                exchange(deflate, 15, true);
            }
            closeNormally();
        }
    }

    abstract static class Cases extends DeflateConformanceTest {

        private static final int LONG_REPEAT = 20_000;
        private static final int SHORT_MESSAGE = 4096;

        static DeflateParams p(boolean serverNoContext, boolean clientNoContext, int serverBits, int clientBits) {
            return new DeflateParams(serverNoContext, clientNoContext, serverBits, clientBits);
        }

        static Stream<Arguments> combinations() {
            List<Arguments> all = new ArrayList<>();
            all.add(Arguments.of("13.1", p(false, false, ABSENT, ABSENT)));
            all.add(Arguments.of("13.2", p(false, true, ABSENT, ABSENT)));
            for (int w = 8; w <= 15; w++) {
                all.add(Arguments.of("13.3." + (w - 7), p(false, false, w, ABSENT)));
            }
            all.add(Arguments.of("13.4", p(true, false, ABSENT, ABSENT)));
            all.add(Arguments.of("13.5.0", p(false, false, ABSENT, NO_VALUE)));
            for (int w = 8; w <= 15; w++) {
                all.add(Arguments.of("13.5." + (w - 7), p(false, false, ABSENT, w)));
            }
            all.add(Arguments.of("13.6.1", p(true, true, ABSENT, ABSENT)));
            all.add(Arguments.of("13.6.2", p(true, true, 9, 9)));
            all.add(Arguments.of("13.6.3", p(true, true, 15, 15)));
            all.add(Arguments.of("13.6.4", p(false, false, 10, 10)));
            all.add(Arguments.of("13.6.5", p(true, false, 8, NO_VALUE)));
            return all.stream();
        }

        /** What our client's settings for {@code p} must offer: 15-bit windows are not asked for. */
        private static DeflateParams expectedOffer(DeflateParams p) {
            return p(p.serverNoContextTakeover(), p.clientNoContextTakeover(),
                    p.serverMaxWindowBits() > 0 && p.serverMaxWindowBits() < 15 ? p.serverMaxWindowBits() : ABSENT,
                    p.clientMaxWindowBits() > 0 && p.clientMaxWindowBits() < 15 ? p.clientMaxWindowBits() : NO_VALUE);
        }

        @ParameterizedTest(name = "case {0}: {1}")
        @MethodSource("combinations")
        void case_13_negotiated_and_honoured(String id, DeflateParams p) throws Exception {
            RawPeer peer;
            DeflateParams agreed;
            if (role() == Role.SERVER) {
                peer = open(with(PerMessageDeflate.builder().threshold(0).build(), b -> { }), p.header(),
                        ACCEPT_DEFAULTS);
                agreed = DeflateParams.parse(peer.extensionsAgreed, true);
                p.assertAcceptableResponse(agreed);
            } else {
                peer = open(with(p.asClientSettings(), b -> { }), null, offer -> p.asResponse().header());
                assertEquals(expectedOffer(p), DeflateParams.parse(peer.extensionsOffered, false),
                        "our client's offer: " + peer.extensionsOffered);
                agreed = p.asResponse();
            }
            boolean server = role() == Role.SERVER;
            // The raw peer keeps within what it offered as well as what was answered.
            int peerWindow = server ? Math.min(agreed.clientWindow(), p.clientWindow()) : agreed.serverWindow();
            boolean peerNoContext = server ? agreed.clientNoContextTakeover() || p.clientNoContextTakeover()
                    : agreed.serverNoContextTakeover();
            int testeeWindow = server ? agreed.serverWindow() : agreed.clientWindow();
            boolean testeeNoContext = server ? agreed.serverNoContextTakeover() : agreed.clientNoContextTakeover();
            try (PeerDeflate deflate = new PeerDeflate(peer, peerWindow, peerNoContext, testeeNoContext)) {
                exchange(deflate, testeeWindow, testeeNoContext);
            }
            closeNormally();
        }

        /**
         * Three messages: text that repeats itself {@value #LONG_REPEAT} bytes later (a reference only a window
         * of 15 bits reaches), then the same {@value #SHORT_MESSAGE}-byte binary message twice (the second one
         * all reference to the first, with context takeover). Each echo must keep to the window and context
         * rule; where they allow the far reference, the echo must use it, showing that the data provokes what
         * the checks forbid.
         */
        static void exchange(PeerDeflate deflate, int window, boolean noContextTakeover) throws Exception {
            Random random = new Random(7692);
            byte[] half = new byte[LONG_REPEAT];
            for (int i = 0; i < half.length; i++) {
                half[i] = (byte) ('a' + random.nextInt(26));
            }
            byte[] text = new byte[2 * LONG_REPEAT];
            System.arraycopy(half, 0, text, 0, LONG_REPEAT);
            System.arraycopy(half, 0, text, LONG_REPEAT, LONG_REPEAT);
            byte[] binary = new byte[SHORT_MESSAGE];
            random.nextBytes(binary);
            deflate.send(Frame.TEXT, text, 0);
            deflate.send(Frame.BINARY, binary, 0);
            deflate.send(Frame.BINARY, binary, 0);
            int[] opcodes = {Frame.TEXT, Frame.BINARY, Frame.BINARY};
            byte[][] sent = {text, binary, binary};
            for (int i = 0; i < 3; i++) {
                PeerDeflate.Received echo = deflate.receive(opcodes[i]);
                assertTrue(echo.compressed(), "threshold 0: compressed");
                assertArrayEquals(sent[i], echo.data(), "echo " + i);
                DeflateHistory.Message m = echo.decoded();
                int maxDistance = m.maxDistance();
                assertTrue(maxDistance <= 1 << window,
                        () -> "a back-reference of " + maxDistance + " bytes, beyond the agreed window of 2^" + window);
                if (noContextTakeover) {
                    assertTrue(m.maxReachIntoHistory() <= 0, "no context takeover: a reference into an earlier message");
                } else if (i == 2 && window >= 13) {
                    assertTrue(m.maxReachIntoHistory() > 0, "context takeover: the repeated message refers to the first");
                }
                if (i == 0 && window == 15) {
                    assertTrue(maxDistance >= LONG_REPEAT, "a 15-bit window: the text's far repeat is referenced");
                }
            }
        }

        /** Parameters §7.1 does not allow: our server declines the offer (no extension), our client fails. */
        @ParameterizedTest(name = "case 13.7.{index} duplex: {0}")
        @ValueSource(strings = {"permessage-deflate; server_max_window_bits=7",
            "permessage-deflate; server_max_window_bits=16", "permessage-deflate; server_max_window_bits=0x0a",
            "permessage-deflate; client_max_window_bits=7", "permessage-deflate; client_max_window_bits=16",
            "permessage-deflate; unknown_parameter", "permessage-deflate; server_no_context_takeover=1"})
        void case_13_7_invalid_parameters(String header) throws Exception {
            if (role() == Role.SERVER) {
                RawPeer peer = open(with(PerMessageDeflate.defaults(), b -> { }), header, ACCEPT_DEFAULTS);
                assertEquals("", peer.extensionsAgreed, "the offer is declined (§7.1), the connection opens without it");
                // No extension, so RSV1 is reserved again (RFC 6455 §5.2).
                assertFailsBetween(peer.frame(true, PeerDeflate.RSV1, Frame.TEXT, PeerDeflate.compressAlone(
                        RawPeer.utf8("x"))), 1002);
            } else {
                assertHandshakeFails(PerMessageDeflate.defaults(), header);
            }
        }

        void assertHandshakeFails(PerMessageDeflate ours, String response) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> open(with(ours, b -> { }), null, offer -> response),
                    "our client must fail the connection on the response " + response + " (§7.1)");
            assertTrue(String.valueOf(e.getCause()).contains("permessage-deflate")
                    || String.valueOf(e.getCause()).contains("xtension"), () -> "why: " + e.getCause());
        }

        static Stream<Arguments> badResponses() {
            return Stream.of(
                    Arguments.of("defaults", "permessage-deflate; client_max_window_bits"),
                    Arguments.of("defaults", "x-not-offered"),
                    Arguments.of("defaults", "permessage-deflate, permessage-deflate"),
                    Arguments.of("defaults", "permessage-deflate; client_no_context_takeover; client_no_context_takeover"),
                    Arguments.of("defaults", "permessage-deflate; server_max_window_bits=10; server_max_window_bits=10"),
                    Arguments.of("server_no_context_takeover", "permessage-deflate"),
                    Arguments.of("server_max_window_bits=10", "permessage-deflate"),
                    Arguments.of("server_max_window_bits=10", "permessage-deflate; server_max_window_bits=11"),
                    Arguments.of("client_max_window_bits=10", "permessage-deflate; client_max_window_bits=11"));
        }

    }
}
