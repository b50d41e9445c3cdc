package io.duplex.core.handshake;

import io.duplex.core.HttpHeaders;
import java.util.function.Function;

/**
 * Hands a parsed field block ({@code name:value\n} per field, ISO-8859-1) to {@link HttpHeaders} without a
 * copy. The API class installs its private wrapping constructor here when it initializes, so the parser in
 * this package can build headers straight from the request bytes while the constructor stays out of the API.
 */
public final class FieldBlock {

    private static volatile Function<byte[], HttpHeaders> wrap;

    private FieldBlock() {
    }

    /** Called once, by {@link HttpHeaders} as it initializes. */
    public static void install(Function<byte[], HttpHeaders> wrapper) {
        if (wrap != null) {
            throw new IllegalStateException("already installed");
        }
        wrap = wrapper;
    }

    /** Headers over {@code fields}, which the caller never changes again. */
    static HttpHeaders headers(byte[] fields) {
        Function<byte[], HttpHeaders> w = wrap;
        if (w == null) {
            // Initializing HttpHeaders installs its wrapper.
            HttpHeaders.empty();
            w = wrap;
        }
        return w.apply(fields);
    }
}
