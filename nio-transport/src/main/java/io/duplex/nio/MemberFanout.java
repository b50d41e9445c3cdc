package io.duplex.nio;

import io.duplex.core.WebSocket;
import io.duplex.nio.internal.loop.EventLoop;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fan-out of {@link Rooms}: what the engine calls, in each room's order, to write a message to the room's
 * members on this node. Decides per member, at publish time, whether it keeps up ({@link
 * Rooms.Builder#memberBacklog}) and hands each event loop one task with the members it serves.
 */
final class MemberFanout implements RoomFanout {

    private static final Logger LOG = LoggerFactory.getLogger(MemberFanout.class);

    private final ConcurrentHashMap<String, LocalRoom> rooms;
    private final RoomListener listener;
    private final SlowMemberPolicy slowPolicy;
    private final long memberBacklog;

    MemberFanout(ConcurrentHashMap<String, LocalRoom> rooms, RoomListener listener, SlowMemberPolicy slowPolicy,
            long memberBacklog) {
        this.rooms = rooms;
        this.listener = listener;
        this.slowPolicy = slowPolicy;
        this.memberBacklog = memberBacklog;
    }

    @Override
    public void deliver(String room, long seq, PreparedMessage message, long exceptId) {
        LocalRoom r = rooms.get(room);
        if (r == null) {
            return;
        }
        int len = message.frameLength();
        List<PreparedMessage> one = List.of(message);
        synchronized (r) {
            if (r.dead) {
                return; // members join only inside the engine's order, which the caller holds: none can be new
            }
            for (LocalRoom.OnLoop l : r.loops()) {
                RoomMember[] admitted = null;
                long[] gaps = null;
                int n = 0;
                for (int i = 0; i < l.size; i++) {
                    RoomMember m = l.members[i];
                    if (!m.isActive() || (exceptId != 0 && m.connectionId() == exceptId)) {
                        continue;
                    }
                    long buffered = m.ws().bufferedAmount();
                    if (buffered > 0 && buffered + len > memberBacklog) {
                        slow(m, seq, l.loop);
                        continue;
                    }
                    if (admitted == null) {
                        admitted = new RoomMember[l.size];
                    }
                    if (seq > 0 && m.hasGap()) {
                        if (gaps == null) {
                            gaps = new long[2 * l.size];
                        }
                        gaps[2 * n] = m.gapFrom();
                        gaps[2 * n + 1] = m.gapTo();
                        m.gapReported();
                    }
                    m.ws().handedOver(len);
                    admitted[n++] = m;
                }
                if (n > 0) {
                    hand(l.loop, new RoomDelivery(one, len, admitted, n, gaps, listener));
                }
            }
        }
    }

    @Override
    public void gap(String room, long from, long to) {
        LocalRoom r = rooms.get(room);
        if (r == null || from < 1 || to < from) {
            return;
        }
        synchronized (r) {
            for (LocalRoom.OnLoop l : r.loops()) {
                for (int i = 0; i < l.size; i++) {
                    RoomMember m = l.members[i];
                    if (m.isActive()) {
                        m.missed(from, to);
                    }
                }
            }
        }
    }

    /** A member too far behind for message {@code seq}: skip it or close it. Under the room's lock. */
    private void slow(RoomMember m, long seq, EventLoop loop) {
        m.skip(seq);
        int code = slowPolicy.closeCode();
        if (code != 0) {
            m.end(); // the close hook removes it from the room once the connection is closed
            WebSocket ws = m.ws();
            try {
                loop.execute(() -> {
                    if (ws.isOpen()) {
                        ws.close(code, "too slow for room " + m.room());
                    }
                });
            } catch (RejectedExecutionException e) {
                LOG.debug("loop shut down; slow member not closed");
            }
        }
    }

    static void hand(EventLoop loop, RoomDelivery d) {
        try {
            loop.execute(d);
        } catch (RejectedExecutionException e) {
            d.abandoned();
        }
    }
}
