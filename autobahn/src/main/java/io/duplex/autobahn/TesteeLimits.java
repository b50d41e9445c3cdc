package io.duplex.autobahn;

import io.duplex.core.WebSocketConfig;

/** The protocol limits of every testee: room for section 9's largest case (16 MiB in one frame). */
final class TesteeLimits {

    /** Section 9 sends messages and frames of up to 16 MiB; a little headroom above that. */
    static final long MAX_PAYLOAD = 32L << 20;

    /**
     * The outbound buffer a connection may fill: echoing a 16 MiB message must never trip the transport's
     * overflow policy, even when the peer reads it slowly.
     */
    static final long MAX_BUFFERED = 128L << 20;

    private TesteeLimits() {
    }

    static WebSocketConfig config() {
        return WebSocketConfig.builder().maxFrameSize(MAX_PAYLOAD).maxMessageSize(MAX_PAYLOAD).build();
    }
}
