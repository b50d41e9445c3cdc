package io.duplex.core.engine;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.duplex.core.Extension;
import io.duplex.core.ExtensionOffer;
import io.duplex.core.HandshakeException;
import io.duplex.core.deflate.PerMessageDeflate;
import io.duplex.core.internal.http.ExtensionHeaderParser;
import io.duplex.core.internal.http.HeaderSyntaxException;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes the {@code Sec-WebSocket-Extensions} parser ({@link ExtensionOffer#parse} and the server's lenient
 * {@link ExtensionHeaderParser#parseOffers}) and permessage-deflate's reading of what it parsed, on both sides.
 *
 * <p>An input is the header's field values as ISO-8859-1 text (how HTTP fields arrive), one value per line.
 * The invariants: parsing either returns at most the configured number of offers and parameters or fails with
 * a 400 {@link HandshakeException}; what parses prints back to text that parses to the same offers; the
 * server's factory either accepts or declines, and the client's accepts or fails with status 0 —
 * never an unchecked exception.
 */
class ExtensionHeaderFuzzTest {

    static final int MAX_INPUT = 4096;
    static final int MAX_OFFERS = 8;
    static final int MAX_PARAMS = 8;
    private static final PerMessageDeflate DEFLATE = PerMessageDeflate.defaults();

    @FuzzTest(maxDuration = "3m")
    void fieldValues(byte[] input) {
        if (input.length > MAX_INPUT) {
            return;
        }
        List<String> values = Arrays.asList(new String(input, ISO_8859_1).split("\n", -1));
        List<ExtensionOffer> strict = parse(values, false);
        List<ExtensionOffer> lenient = parse(values, true);
        if (strict != null) {
            assertEquals(strict, lenient, "with no parameter named twice, both readings agree");
        }
        if (lenient == null) {
            return;
        }
        assertTrue(lenient.size() <= MAX_OFFERS, "at most " + MAX_OFFERS + " offers");
        for (ExtensionOffer o : lenient) {
            assertTrue(o.parameters().size() <= MAX_PARAMS, "at most " + MAX_PARAMS + " parameters");
            assertEquals(List.of(o), parse(List.of(o.toString()), false), "an offer reads back from its text");
        }
        serverReads(lenient);
        for (ExtensionOffer o : lenient) {
            clientReads(o);
        }
    }

    /** The offers, or {@code null} when the text is not a valid header (which must be a 400). */
    private static List<ExtensionOffer> parse(List<String> values, boolean lenient) {
        if (lenient) {
            try {
                return ExtensionHeaderParser.parseOffers(values, MAX_OFFERS, MAX_PARAMS, ExtensionOffer::of);
            } catch (HeaderSyntaxException e) {
                return null;
            }
        }
        try {
            return ExtensionOffer.parse(values, MAX_OFFERS, MAX_PARAMS);
        } catch (HandshakeException e) {
            assertEquals(400, e.status(), "a malformed header is a bad request");
            return null;
        }
    }

    private static void serverReads(List<ExtensionOffer> offers) {
        Extension accepted = DEFLATE.accept(offers);
        if (accepted != null) {
            assertEquals("permessage-deflate", accepted.negotiated().name());
            assertEquals(List.of(accepted.negotiated()), parse(List.of(accepted.negotiated().toString()), false),
                    "the server's answer is a valid header");
            accepted.release();
        }
    }

    private static void clientReads(ExtensionOffer response) {
        try {
            DEFLATE.accepted(response).release();
        } catch (HandshakeException e) {
            assertEquals(0, e.status(), "a client fails an unacceptable answer with status 0");
        }
    }
}
