package io.duplex.core.handshake;

import io.duplex.core.HttpHeaders;

/**
 * Hands a parsed field block ({@code name:value\n} per field, ISO-8859-1) to {@link HttpHeaders} without a
 * copy. The API class installs its private wrapping constructor here when it initializes, so the parser in
 * this package can build headers straight from the request bytes while the constructor stays out of the API.
 */
public final class FieldBlock {

    /** Views the fields of {@code fields} from {@code from} to its end. */
    @FunctionalInterface
    public interface Wrapper {
        /** Headers over {@code fields[from, length)}, an array nobody changes again. */
        HttpHeaders wrap(byte[] fields, int from);
    }

    private static volatile Wrapper wrap;

    private FieldBlock() {
    }

    /**
     * Called once, by {@link HttpHeaders} as it initializes.
     *
     * @throws IllegalCallerException if called from anywhere else: on the class path this package is open to
     *     everyone, and a wrapper installed first would stand in for every parsed header block
     */
    public static void install(Wrapper wrapper) {
        Class<?> caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass();
        if (caller != HttpHeaders.class) {
            throw new IllegalCallerException("only HttpHeaders installs its wrapper");
        }
        if (wrap != null) {
            throw new IllegalStateException("already installed");
        }
        wrap = wrapper;
    }

    /**
     * Headers over {@code fields} from {@code from}, which the caller never changes again (but for the bytes
     * in front of {@code from}, which are the caller's).
     */
    static HttpHeaders headers(byte[] fields, int from) {
        Wrapper w = wrap;
        if (w == null) {
            // Initializing HttpHeaders installs its wrapper.
            HttpHeaders.empty();
            w = wrap;
        }
        return w.wrap(fields, from);
    }
}
