package io.duplex.autobahn;

/** A report file that is not well-formed JSON. */
final class JsonSyntaxException extends Exception {

    private static final long serialVersionUID = 1L;

    JsonSyntaxException(String message) {
        super(message);
    }
}
