package io.duplex.core;

/**
 * The protocol limits and options of a connection. Immutable; build one with {@link #builder()}.
 *
 * <p>Every limit is checked before memory is allocated for what it limits: a frame's declared length is
 * compared with {@link #maxFrameSize()} as soon as the header is read, and a message's running total with
 * {@link #maxMessageSize()} before its buffer grows. A peer that exceeds a limit is closed with 1009.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>option</th><th>default</th></tr>
 *   <tr><td>{@link #maxFrameSize()}</td><td>16 MiB</td></tr>
 *   <tr><td>{@link #maxMessageSize()}</td><td>16 MiB</td></tr>
 *   <tr><td>{@link #maxFragmentsPerMessage()}</td><td>131 072</td></tr>
 *   <tr><td>{@link #maxHeaderBytes()}</td><td>8 KiB</td></tr>
 *   <tr><td>{@link #maxHeaderCount()}</td><td>100</td></tr>
 *   <tr><td>{@link #streaming()}</td><td>false</td></tr>
 *   <tr><td>{@link #outboundFragmentSize()}</td><td>0 (send each message as one frame)</td></tr>
 * </table>
 */
public final class WebSocketConfig {

    private static final WebSocketConfig DEFAULTS = new Builder().build();

    private final long maxFrameSize;
    private final long maxMessageSize;
    private final int maxFragmentsPerMessage;
    private final int maxHeaderBytes;
    private final int maxHeaderCount;
    private final boolean streaming;
    private final int outboundFragmentSize;

    private WebSocketConfig(Builder b) {
        this.maxFrameSize = b.maxFrameSize;
        this.maxMessageSize = b.maxMessageSize;
        this.maxFragmentsPerMessage = b.maxFragmentsPerMessage;
        this.maxHeaderBytes = b.maxHeaderBytes;
        this.maxHeaderCount = b.maxHeaderCount;
        this.streaming = b.streaming;
        this.outboundFragmentSize = b.outboundFragmentSize;
    }

    /** The defaults listed above. */
    public static WebSocketConfig defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxFrameSize = maxFrameSize;
        b.maxMessageSize = maxMessageSize;
        b.maxFragmentsPerMessage = maxFragmentsPerMessage;
        b.maxHeaderBytes = maxHeaderBytes;
        b.maxHeaderCount = maxHeaderCount;
        b.streaming = streaming;
        b.outboundFragmentSize = outboundFragmentSize;
        return b;
    }

    /** The largest payload one received frame may declare; larger closes with 1009. */
    public long maxFrameSize() {
        return maxFrameSize;
    }

    /**
     * The largest received message, summed over its fragments (after decompression, when an extension
     * compresses); larger closes with 1009. With {@link #streaming()} on, it still bounds each message.
     */
    public long maxMessageSize() {
        return maxMessageSize;
    }

    /** The most frames one received message may span; more closes with 1009. */
    public int maxFragmentsPerMessage() {
        return maxFragmentsPerMessage;
    }

    /** The largest opening-handshake header block (request or response line and headers) read from a peer. */
    public int maxHeaderBytes() {
        return maxHeaderBytes;
    }

    /** The most header fields in an opening handshake read from a peer. */
    public int maxHeaderCount() {
        return maxHeaderCount;
    }

    /**
     * Whether received data messages are delivered frame by frame ({@link WebSocketHandler#onTextFragment},
     * {@link WebSocketHandler#onBinaryFragment}) instead of whole.
     */
    public boolean streaming() {
        return streaming;
    }

    /** When positive, outbound messages larger than this many bytes are split into frames of this size. */
    public int outboundFragmentSize() {
        return outboundFragmentSize;
    }

    @Override
    public String toString() {
        return "WebSocketConfig{maxFrameSize=" + maxFrameSize + ", maxMessageSize=" + maxMessageSize
                + ", maxFragmentsPerMessage=" + maxFragmentsPerMessage + ", maxHeaderBytes=" + maxHeaderBytes
                + ", maxHeaderCount=" + maxHeaderCount + ", streaming=" + streaming
                + ", outboundFragmentSize=" + outboundFragmentSize + '}';
    }

    /** Builds a {@link WebSocketConfig}. Not thread-safe. */
    public static final class Builder {
        private long maxFrameSize = 16L << 20;
        private long maxMessageSize = 16L << 20;
        private int maxFragmentsPerMessage = 131_072;
        private int maxHeaderBytes = 8 << 10;
        private int maxHeaderCount = 100;
        private boolean streaming;
        private int outboundFragmentSize;

        private Builder() {
        }

        /** See {@link WebSocketConfig#maxFrameSize()}; at least 125 (so control frames always fit). */
        public Builder maxFrameSize(long bytes) {
            if (bytes < 125) {
                throw new IllegalArgumentException("maxFrameSize must be at least 125: " + bytes);
            }
            this.maxFrameSize = bytes;
            return this;
        }

        /** See {@link WebSocketConfig#maxMessageSize()}; from 1 byte to 2 GiB less 8 bytes (one Java array). */
        public Builder maxMessageSize(long bytes) {
            if (bytes < 1 || bytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("maxMessageSize must be from 1 to 2^31-9: " + bytes);
            }
            this.maxMessageSize = bytes;
            return this;
        }

        /** See {@link WebSocketConfig#maxFragmentsPerMessage()}; at least 1. */
        public Builder maxFragmentsPerMessage(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("maxFragmentsPerMessage must be positive: " + count);
            }
            this.maxFragmentsPerMessage = count;
            return this;
        }

        /** See {@link WebSocketConfig#maxHeaderBytes()}; at least 256. */
        public Builder maxHeaderBytes(int bytes) {
            if (bytes < 256) {
                throw new IllegalArgumentException("maxHeaderBytes must be at least 256: " + bytes);
            }
            this.maxHeaderBytes = bytes;
            return this;
        }

        /** See {@link WebSocketConfig#maxHeaderCount()}; at least 8. */
        public Builder maxHeaderCount(int count) {
            if (count < 8) {
                throw new IllegalArgumentException("maxHeaderCount must be at least 8: " + count);
            }
            this.maxHeaderCount = count;
            return this;
        }

        /** See {@link WebSocketConfig#streaming()}. */
        public Builder streaming(boolean streaming) {
            this.streaming = streaming;
            return this;
        }

        /** See {@link WebSocketConfig#outboundFragmentSize()}; 0 turns splitting off. */
        public Builder outboundFragmentSize(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("outboundFragmentSize must not be negative: " + bytes);
            }
            this.outboundFragmentSize = bytes;
            return this;
        }

        /** The configuration. */
        public WebSocketConfig build() {
            return new WebSocketConfig(this);
        }
    }
}
