package io.duplex.nio;

import java.nio.ByteBuffer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Room messages for some members on one event loop, run as one task of that loop: one per publish per loop,
 * or one per join with its greeting and replay. The members' {@code bufferedAmount()} counted the bytes since
 * the publish admitted them. Here each member holds them until the end of the loop's pass (so that what a
 * member gets from several deliveries of one pass leaves in one gathering write) and uncounts them once they
 * are written or queued; a member that cannot hold them writes them now; a membership that ended takes none.
 */
final class RoomDelivery implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(RoomDelivery.class);
    /**
     * Frames up to this size are written as one buffer: a second iovec costs more than copying what a slow
     * socket refuses of a small frame.
     */
    private static final int WHOLE_FRAME_LIMIT = 8 * 1024;

    private final List<PreparedMessage> messages;
    private final long bytes;
    private final RoomMember[] members;
    private final int count;
    /** Per member, a gap to report first as {@code [from, to]} pairs; null when no member has one. */
    private final long[] gaps;
    private final RoomListener listener;

    RoomDelivery(List<PreparedMessage> messages, long bytes, RoomMember[] members, int count, long[] gaps,
            RoomListener listener) {
        this.messages = messages;
        this.bytes = bytes;
        this.members = members;
        this.count = count;
        this.gaps = gaps;
        this.listener = listener;
    }

    @Override
    public void run() {
        int n = messages.size();
        ByteBuffer[] headers = new ByteBuffer[n];
        ByteBuffer[] payloads = new ByteBuffer[n];
        for (int j = 0; j < n; j++) {
            PreparedMessage p = messages.get(j);
            if (p.frameLength() <= WHOLE_FRAME_LIMIT) {
                // One buffer, one write(2); if the socket refuses part of it, the rest is copied: a few bytes.
                headers[j] = p.frameView();
                payloads[j] = OutboundBuffer.EMPTY;
            } else {
                // Header and payload apart, so that a refused payload is queued by reference, never copied.
                headers[j] = p.headerView();
                payloads[j] = p.payloadView();
            }
        }
        for (int i = 0; i < count; i++) {
            RoomMember m = members[i];
            NioWebSocket ws = m.ws();
            if (!m.isActive()) {
                ws.handedOver(-bytes);
                continue;
            }
            if (gaps != null && gaps[2 * i] != 0) {
                try {
                    listener.onGap(m, gaps[2 * i], gaps[2 * i + 1]);
                } catch (RuntimeException e) {
                    LOG.warn("onGap failed", e);
                }
            }
            // Held until the end of the loop's pass, with what the member gets from the pass's other tasks.
            if (!ws.holdShared(headers, payloads, n, bytes)) {
                ws.handedOver(-bytes);
                for (int j = 0; j < n; j++) {
                    ws.sendShared(headers[j], payloads[j]);
                }
            }
        }
    }

    /** The loop shut down and will never run this: uncount what the members counted. */
    void abandoned() {
        for (int i = 0; i < count; i++) {
            members[i].ws().handedOver(-bytes);
        }
    }
}
