package io.duplex.core.internal.handshake;

import io.duplex.core.internal.http.HttpGrammar;

/**
 * The status code of an HTTP/1.1 status line, {@code HTTP-version SP 3DIGIT SP [reason-phrase]}
 * (RFC 9112 §4). A missing SP after the code is tolerated, as some servers omit it with an empty reason.
 */
public final class StatusLine {

    private StatusLine() {
    }

    /** The status code of the line {@code b[0, end)}, or -1 when the line is malformed or not HTTP/1.1. */
    public static int parse(byte[] b, int end) {
        if (end < 12 || !HttpVersion.matches(b, 0) || b[5] != '1' || b[7] != '1' || b[8] != ' ') {
            return -1;
        }
        int status = 0;
        for (int i = 9; i < 12; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return -1;
            }
            status = status * 10 + b[i] - '0';
        }
        if (end > 12 && b[12] != ' ' || status < 100) {
            return -1;
        }
        for (int i = 13; i < end; i++) {
            if (!HttpGrammar.isFieldValueChar(b[i] & 0xFF)) {
                return -1;
            }
        }
        return status;
    }
}
