package io.duplex.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.duplex.core.HandshakeException;
import io.duplex.core.WebSocketConfig;
import io.duplex.core.deflate.PerMessageDeflate;
import io.duplex.core.internal.extension.deflate.CodecPool;
import io.duplex.core.internal.extension.deflate.ZlibPools;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Round trips through a client and a server {@link Session} for every combination of RFC 7692 parameters
 * (§7.1.1 context takeover each way, §7.1.2 window bits each way), levels, thresholds, outbound fragment
 * sizes, receive chunkings, whole or streamed delivery: each side receives exactly what the other sent, RSV1
 * marks exactly the first frame of each compressed message (§6), a direction without context takeover holds
 * no codec between messages, and every native codec is ended or back in the pool after close.
 */
class PerMessageDeflateRoundTripProperties {

    /** A message: text when {@code text}, else binary. */
    record Message(boolean text, byte[] data) {
    }

    @Property(tries = 120)
    void everyParameterCombinationRoundTrips(
            @ForAll boolean serverNoContext, @ForAll boolean clientNoContext,
            @ForAll @IntRange(min = 8, max = 15) int serverBits, @ForAll @IntRange(min = 8, max = 15) int clientBits,
            @ForAll @IntRange(min = 1, max = 9) int level, @ForAll("thresholds") int threshold,
            @ForAll("fragmentSizes") int fragmentSize, @ForAll("chunks") int chunk, @ForAll boolean streaming,
            @ForAll("messages") @Size(max = 6) List<Message> messages) throws HandshakeException {
        PerMessageDeflate clientFactory = PerMessageDeflate.builder().serverNoContextTakeover(serverNoContext)
                .clientNoContextTakeover(clientNoContext).serverMaxWindowBits(serverBits)
                .clientMaxWindowBits(clientBits).level(level).threshold(threshold).build();
        PerMessageDeflate serverFactory = PerMessageDeflate.builder().level(10 - level).threshold(threshold).build();
        WebSocketConfig config = WebSocketConfig.builder().outboundFragmentSize(fragmentSize).streaming(streaming)
                .build();
        DeflatePair pair = new DeflatePair(clientFactory, serverFactory, config);
        assertEquals(serverBits, pair.serverExtension.sendWindowBits());
        assertEquals(clientBits, pair.clientExtension.sendWindowBits());
        assertEquals(serverNoContext, pair.serverExtension.sendNoContextTakeover());
        assertEquals(clientNoContext, pair.clientExtension.sendNoContextTakeover());
        for (var e : List.of(pair.clientExtension, pair.serverExtension)) {
            assertFalse(e.holdsSendCodec() || e.holdsReceiveCodec(), "nothing is taken before the first message");
        }

        for (Message m : messages) {
            send(pair.client, m);
            checkRsv(pair.clientToServer(chunk), m, threshold);
            send(pair.server, m);
            checkRsv(pair.serverToClient(chunk), m, threshold);
            // a direction without context takeover holds its codecs only while a message passes
            assertFalse(serverNoContext
                    && (pair.serverExtension.holdsSendCodec() || pair.clientExtension.holdsReceiveCodec()));
            assertFalse(clientNoContext
                    && (pair.clientExtension.holdsSendCodec() || pair.serverExtension.holdsReceiveCodec()));
        }
        assertNull(pair.serverPeer.closeStatus, () -> "server closed: " + pair.serverPeer.closeStatus);
        assertNull(pair.clientPeer.closeStatus, () -> "client closed: " + pair.clientPeer.closeStatus);
        assertEquals(messages.size(), pair.serverReceived.size());
        assertEquals(messages.size(), pair.clientReceived.size());
        for (int i = 0; i < messages.size(); i++) {
            assertArrayEquals(messages.get(i).data(), pair.serverReceived.get(i), "client to server #" + i);
            assertArrayEquals(messages.get(i).data(), pair.clientReceived.get(i), "server to client #" + i);
        }

        pair.client.transportClosed(null);
        pair.server.transportClosed(null);
        for (var e : List.of(pair.clientExtension, pair.serverExtension)) {
            assertFalse(e.holdsSendCodec() || e.holdsReceiveCodec());
            assertEquals(0, e.heapBytesHeld());
            ZlibPools pools = e.pools();
            for (CodecPool<?> pool : List.of(pools.deflaters(), pools.inflaters())) {
                assertEquals(pool.created(), pool.ended() + pool.idle(), "every native codec is ended or pooled");
            }
        }
    }

    private static void send(Session s, Message m) {
        if (m.text()) {
            s.sendText(new String(m.data(), StandardCharsets.UTF_8));
        } else {
            s.sendBinary(ByteBuffer.wrap(m.data()));
        }
    }

    /** RSV1 on the first frame exactly when the message is at least the threshold, never on the others. */
    private static void checkRsv(List<WireFrames.Frame> frames, Message m, int threshold) {
        for (int i = 0; i < frames.size(); i++) {
            int expected = i == 0 && m.data().length >= threshold ? 4 : 0;
            assertEquals(expected, frames.get(i).rsv(), "frame " + i + " of " + frames.size());
            assertEquals(i == 0 ? (m.text() ? 1 : 2) : 0, frames.get(i).opcode());
        }
    }

    @Provide
    Arbitrary<Integer> thresholds() {
        return Arbitraries.of(0, 0, 1, 100);
    }

    @Provide
    Arbitrary<Integer> fragmentSizes() {
        return Arbitraries.of(0, 0, 1, 50, 4096);
    }

    @Provide
    Arbitrary<Integer> chunks() {
        return Arbitraries.of(1, 3, 100, 1 << 20);
    }

    @Provide
    Arbitrary<List<Message>> messages() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(3000);
        Arbitrary<byte[]> repetitive = Combinators.combine(
                Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(40),
                Arbitraries.integers().between(0, 20000))
                .as((unit, length) -> {
                    byte[] a = new byte[length];
                    for (int i = 0; i < length; i++) {
                        a[i] = unit[i % unit.length];
                    }
                    return a;
                });
        Arbitrary<Message> binary = Arbitraries.oneOf(random, repetitive).map(b -> new Message(false, b));
        Arbitrary<Message> text = Combinators.combine(
                Arbitraries.strings().withChars("abcé€ \n{}\":").ofMaxLength(30).map(s -> s.replace("{", "😀")),
                Arbitraries.integers().between(0, 400))
                .as((unit, times) -> new Message(true, unit.repeat(times).getBytes(StandardCharsets.UTF_8)));
        return Arbitraries.oneOf(binary, text).list();
    }
}
