package io.duplex.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.duplex.core.Extension;
import io.duplex.core.ExtensionOffer;
import io.duplex.core.HandshakeException;
import io.duplex.core.HandshakePolicy;
import io.duplex.core.WebSocketConfig;
import io.duplex.core.WebSocketHandler;
import io.duplex.core.deflate.PerMessageDeflate;
import io.duplex.core.internal.extension.deflate.PerMessageDeflateExtension;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RFC 7692 §7.1 negotiation tables: the server's response to offers (§7.1.1, §7.1.2, declining per §7.1), and
 * the client's offer and its check of responses. Offers are written as header text and parsed by the real
 * header parser, so the tables read like the wire.
 */
class PerMessageDeflateNegotiationTest {

    private static final PerMessageDeflate DEFAULTS = PerMessageDeflate.defaults();

    private static List<ExtensionOffer> header(String value) throws HandshakeException {
        return ExtensionOffer.parse(List.of(value), 16, 16);
    }

    private static String respond(PerMessageDeflate server, String offers) throws HandshakeException {
        Extension e = server.accept(header(offers));
        return e == null ? "DECLINE" : e.negotiated().toString();
    }

    /** Server with default settings: the response per offer; DECLINE when every offer is declined. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "permessage-deflate | permessage-deflate",
        "permessage-deflate; server_no_context_takeover | permessage-deflate; server_no_context_takeover",
        "permessage-deflate; client_no_context_takeover | permessage-deflate; client_no_context_takeover",
        "permessage-deflate; server_max_window_bits=10 | permessage-deflate; server_max_window_bits=10",
        "permessage-deflate; server_max_window_bits=8 | permessage-deflate; server_max_window_bits=8",
        "permessage-deflate; server_max_window_bits=15 | permessage-deflate; server_max_window_bits=15",
        "permessage-deflate; server_max_window_bits=\"12\" | permessage-deflate; server_max_window_bits=12",
        "permessage-deflate; client_max_window_bits | permessage-deflate",
        "permessage-deflate; client_max_window_bits=9 | permessage-deflate; client_max_window_bits=9",
        "permessage-deflate; client_max_window_bits=15 | permessage-deflate",
        // invalid values, a value where none belongs, none where one is needed, unknown parameters: declined
        "permessage-deflate; server_max_window_bits=7 | DECLINE",
        "permessage-deflate; server_max_window_bits=16 | DECLINE",
        "permessage-deflate; server_max_window_bits=abc | DECLINE",
        "permessage-deflate; server_max_window_bits=010 | DECLINE",
        "permessage-deflate; server_max_window_bits | DECLINE",
        "permessage-deflate; client_max_window_bits=7 | DECLINE",
        "permessage-deflate; client_max_window_bits=16 | DECLINE",
        "permessage-deflate; client_max_window_bits=abc | DECLINE",
        "permessage-deflate; server_no_context_takeover=1 | DECLINE",
        "permessage-deflate; client_no_context_takeover=x | DECLINE",
        "permessage-deflate; x_unknown | DECLINE",
        "permessage-deflate; Server_No_Context_Takeover | DECLINE",
        // several offers: the first acceptable one in the client's order wins
        "permessage-deflate; server_max_window_bits=16, permessage-deflate; client_max_window_bits=10 "
                + "| permessage-deflate; client_max_window_bits=10",
        "permessage-deflate; foo, permessage-deflate; server_max_window_bits=9, permessage-deflate "
                + "| permessage-deflate; server_max_window_bits=9",
        "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=11; "
                + "client_max_window_bits=12 | permessage-deflate; server_no_context_takeover; "
                + "client_no_context_takeover; server_max_window_bits=11; client_max_window_bits=12",
    })
    void serverWithDefaults(String offers, String expected) throws HandshakeException {
        assertEquals(expected, respond(DEFAULTS, offers));
    }

    /** Server settings: caps apply with the client's requests (the smaller wins), and policies decline. */
    @ParameterizedTest(name = "{0} / {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "smwb=10 | permessage-deflate | permessage-deflate; server_max_window_bits=10",
        "smwb=10 | permessage-deflate; server_max_window_bits=12 | permessage-deflate; server_max_window_bits=10",
        "smwb=10 | permessage-deflate; server_max_window_bits=9 | permessage-deflate; server_max_window_bits=9",
        "cmwb=10 | permessage-deflate | permessage-deflate",
        "cmwb=10 | permessage-deflate; client_max_window_bits | permessage-deflate; client_max_window_bits=10",
        "cmwb=10 | permessage-deflate; client_max_window_bits=12 | permessage-deflate; client_max_window_bits=10",
        "cmwb=10 | permessage-deflate; client_max_window_bits=8 | permessage-deflate; client_max_window_bits=8",
        "snct | permessage-deflate | permessage-deflate; server_no_context_takeover",
        "cnct | permessage-deflate | permessage-deflate; client_no_context_takeover",
        "noSmwb | permessage-deflate; server_max_window_bits=10 | DECLINE",
        "noSmwb | permessage-deflate; server_max_window_bits=15 | permessage-deflate; server_max_window_bits=15",
        "noSmwb | permessage-deflate; server_max_window_bits=10, permessage-deflate | permessage-deflate",
        "noSnct | permessage-deflate; server_no_context_takeover | DECLINE",
        "noSnct | permessage-deflate; server_no_context_takeover, permessage-deflate | permessage-deflate",
    })
    void serverWithSettings(String setting, String offers, String expected) throws HandshakeException {
        assertEquals(expected, respond(settings(setting).build(), offers));
    }

    /** What the server's extension does with what it answered. */
    @ParameterizedTest(name = "{0} / {1}")
    @CsvSource(delimiter = '|', value = {
        "none | permessage-deflate | 15 | false | false",
        "none | permessage-deflate; server_max_window_bits=9 | 9 | false | false",
        "smwb=12 | permessage-deflate | 12 | false | false",
        "none | permessage-deflate; server_no_context_takeover | 15 | true | false",
        "none | permessage-deflate; client_no_context_takeover | 15 | false | true",
        "cnct | permessage-deflate | 15 | false | true",
    })
    void serverExtensionState(String setting, String offer, int sendBits, boolean sendNoContext,
            boolean receiveNoContext) throws HandshakeException {
        PerMessageDeflateExtension e = (PerMessageDeflateExtension) settings(setting).build().accept(header(offer));
        assertEquals(sendBits, e.sendWindowBits());
        assertEquals(sendNoContext, e.sendNoContextTakeover());
        assertEquals(receiveNoContext, e.receiveNoContextTakeover());
    }

    /** The client's one offer for each setting. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "none | permessage-deflate; client_max_window_bits",
        "snct | permessage-deflate; server_no_context_takeover; client_max_window_bits",
        "cnct | permessage-deflate; client_no_context_takeover; client_max_window_bits",
        "smwb=9 | permessage-deflate; server_max_window_bits=9; client_max_window_bits",
        "cmwb=11 | permessage-deflate; client_max_window_bits=11",
    })
    void clientOffer(String setting, String expected) {
        List<ExtensionOffer> offers = settings(setting).build().offers();
        assertEquals(1, offers.size());
        assertEquals(expected, offers.get(0).toString());
    }

    /** The client's check of a response: what it then sends with, or FAIL. */
    @ParameterizedTest(name = "{0} / {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "none | permessage-deflate | 15 false false",
        "none | permessage-deflate; server_no_context_takeover | 15 false true",
        "none | permessage-deflate; client_no_context_takeover | 15 true false",
        "none | permessage-deflate; client_max_window_bits=8 | 8 false false",
        "none | permessage-deflate; client_max_window_bits=15 | 15 false false",
        "none | permessage-deflate; server_max_window_bits=10 | 15 false false",
        "none | permessage-deflate; server_max_window_bits=\"9\" | 15 false false",
        "none | permessage-deflate; client_max_window_bits | FAIL",
        "none | permessage-deflate; client_max_window_bits=7 | FAIL",
        "none | permessage-deflate; client_max_window_bits=16 | FAIL",
        "none | permessage-deflate; client_max_window_bits=abc | FAIL",
        "none | permessage-deflate; server_max_window_bits | FAIL",
        "none | permessage-deflate; server_max_window_bits=7 | FAIL",
        "none | permessage-deflate; server_max_window_bits=16 | FAIL",
        "none | permessage-deflate; server_max_window_bits=abc | FAIL",
        "none | permessage-deflate; server_no_context_takeover=1 | FAIL",
        "none | permessage-deflate; client_no_context_takeover=1 | FAIL",
        "none | permessage-deflate; x_unknown | FAIL",
        "snct | permessage-deflate | FAIL",
        "snct | permessage-deflate; server_no_context_takeover | 15 false true",
        "smwb=10 | permessage-deflate | FAIL",
        "smwb=10 | permessage-deflate; server_max_window_bits=11 | FAIL",
        "smwb=10 | permessage-deflate; server_max_window_bits=10 | 15 false false",
        "smwb=10 | permessage-deflate; server_max_window_bits=8 | 15 false false",
        "cmwb=11 | permessage-deflate; client_max_window_bits=12 | FAIL",
        "cmwb=11 | permessage-deflate; client_max_window_bits=9 | 9 false false",
        // the offer's own promises hold whatever the answer says
        "cmwb=11 | permessage-deflate | 11 false false",
        "cnct | permessage-deflate | 15 true false",
    })
    void clientChecksResponse(String setting, String response, String expected) throws HandshakeException {
        PerMessageDeflate client = settings(setting).build();
        ExtensionOffer element = header(response).get(0);
        if (expected.equals("FAIL")) {
            HandshakeException e = assertThrows(HandshakeException.class, () -> client.accepted(element));
            assertEquals(0, e.status());
            return;
        }
        PerMessageDeflateExtension e = (PerMessageDeflateExtension) client.accepted(element);
        assertEquals(expected,
                e.sendWindowBits() + " " + e.sendNoContextTakeover() + " " + e.receiveNoContextTakeover());
        assertEquals(element, e.negotiated());
    }

    /** Duplicated parameters never reach the factory: the header parser rejects the element (400 / client fail). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
        "permessage-deflate; server_max_window_bits=10; server_max_window_bits=10",
        "permessage-deflate; client_max_window_bits; client_max_window_bits=10",
    })
    void duplicatedParametersAreRejectedByTheParser(String value) {
        assertThrows(HandshakeException.class, () -> header(value));
    }

    /**
     * A server declines an offer that names a parameter twice and takes the client's next one (RFC 7692 §7.1),
     * instead of refusing the handshake.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "permessage-deflate; client_no_context_takeover; client_no_context_takeover|101|",
        "permessage-deflate; server_max_window_bits=10; server_max_window_bits=10|101|",
        "permessage-deflate; server_no_context_takeover; server_no_context_takeover, permessage-deflate|101|permessage-deflate",
    })
    void serverDeclinesOffersWithDuplicatedParameters(String offer, int status, String agreed) {
        ServerHandshake server = new ServerHandshake(WebSocketConfig.defaults(), HandshakePolicy.builder()
                .handler(new WebSocketHandler() { }).extensions(List.of(PerMessageDeflate.defaults())).build());
        server.receive(HandshakeBytes.heap(HandshakeBytes.with("Sec-WebSocket-Extensions: " + offer)));
        assertEquals(status, server.status());
        assertEquals(agreed == null ? "" : agreed, server.extensionsHeader());
    }

    @ParameterizedTest
    @CsvSource({"7", "16", "0", "-1"})
    void builderRejectsWindowBitsOutside8To15(int bits) {
        assertThrows(IllegalArgumentException.class, () -> PerMessageDeflate.builder().serverMaxWindowBits(bits));
        assertThrows(IllegalArgumentException.class, () -> PerMessageDeflate.builder().clientMaxWindowBits(bits));
    }

    @ParameterizedTest
    @CsvSource({"0", "10"})
    void builderRejectsLevelsOutside1To9(int level) {
        assertThrows(IllegalArgumentException.class, () -> PerMessageDeflate.builder().level(level));
    }

    @org.junit.jupiter.api.Test
    void aServerDecliningEveryOfferReturnsNull() throws HandshakeException {
        assertNull(DEFAULTS.accept(header("permessage-deflate; a, permessage-deflate; b")));
    }

    private static PerMessageDeflate.Builder settings(String setting) {
        PerMessageDeflate.Builder b = PerMessageDeflate.builder();
        for (String s : setting.trim().split(" ")) {
            String[] kv = s.split("=");
            switch (kv[0]) {
                case "none" -> { }
                case "snct" -> b.serverNoContextTakeover(true);
                case "cnct" -> b.clientNoContextTakeover(true);
                case "smwb" -> b.serverMaxWindowBits(Integer.parseInt(kv[1]));
                case "cmwb" -> b.clientMaxWindowBits(Integer.parseInt(kv[1]));
                case "noSmwb" -> b.acceptServerMaxWindowBits(false);
                case "noSnct" -> b.acceptServerNoContextTakeover(false);
                default -> throw new IllegalArgumentException(s);
            }
        }
        return b;
    }
}
