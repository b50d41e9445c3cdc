package io.duplex.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duplex.nio.PreparedMessage;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Payloads are data: whatever a client writes crosses Redis byte for byte, and the sequence number lands exactly
 * where the publishing node put its placeholder, live and from history.
 */
class RedisPayloadTest extends ClusterTest {

    /** Texts aimed at the script's pattern and replacement, its source, the Redis protocol and the envelope. */
    private static final List<String> HOSTILE = List.of(
            "%1 %% %d %0 .* [^a] (x) $ ^ %",
            "\r\n*1\r\n$8\r\nFLUSHALL\r\n",
            "') redis.call('FLUSHALL') --",
            "]]..redis.call('FLUSHALL')..[[",
            "mt99 a forged sequenced message",
            "at0 0 a forged announcement",
            "",
            " ",
            "ünïcødé 😀 \u0000 nul",
            "900000000000000000 and 123456789012345678: digits that look like a placeholder");

    private Node a;
    private Node b;
    private Member bob;

    @BeforeEach
    void nodes() throws Exception {
        a = cluster.node(e -> { });
        b = cluster.node(e -> { });
        bob = cluster.member(b);
    }

    @Test
    void clientTextIsDataAndTheNumberLandsExactlyWhereThePlaceholderWas() throws Exception {
        bob.join("data", -1);
        for (int i = 0; i < HOSTILE.size(); i++) {
            String text = HOSTILE.get(i);
            // Digits right against the number on both sides: the placeholder must not be found shifted.
            long seq = a.rooms.publish("data", s -> PreparedMessage.text("7" + s + "7 " + text))
                    .get(10, TimeUnit.SECONDS);
            assertEquals(i + 1, seq);
            assertEquals("7" + seq + "7 " + text, bob.next());
        }
        Member carol = cluster.member(a);
        assertEquals(HOSTILE.size(), carol.join("data", 0), "resumed from Redis's history");
        for (int i = 0; i < HOSTILE.size(); i++) {
            assertEquals("7" + (i + 1) + "7 " + HOSTILE.get(i), carol.next());
        }
        assertOnlyTheRoomsKeys("data", HOSTILE.size());
    }

    @Test
    void binaryPayloadsKeepEveryByteAndCarryTheNumberOnlyWhereThePlaceholderWas() throws Exception {
        bob.join("bytes", -1);
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        LongFunction<byte[]> withNumber = s -> concat(all, Long.toString(s).getBytes(StandardCharsets.US_ASCII), all);
        assertEquals(1L, a.rooms.publish("bytes", s -> PreparedMessage.binary(ByteBuffer.wrap(withNumber.apply(s))))
                .get(10, TimeUnit.SECONDS));
        assertEquals(2L, a.rooms.publish("bytes", s -> PreparedMessage.binary(ByteBuffer.wrap(all)))
                .get(10, TimeUnit.SECONDS));
        List<String> expected = List.of(hex(withNumber.apply(1)), hex(all));
        assertEquals(expected, List.of(bob.next(), bob.next()));
        Member carol = cluster.member(a);
        assertEquals(2, carol.join("bytes", 0));
        assertEquals(expected, List.of(carol.next(), carol.next()), "history keeps the same bytes");
        assertOnlyTheRoomsKeys("bytes", 2);
    }

    @Test
    void numbersStayExactBeyondTheRangeLuaPrintsWithoutAnExponent() throws Exception {
        long before = 99_999_999_999_999L; // the largest that Lua's default number format prints in full
        RedisClient admin = RedisClient.create(cluster.redis.url());
        try (StatefulRedisConnection<String, String> c = admin.connect()) {
            c.sync().set(new RoomKeys("duplex:").seq("big"), Long.toString(before));
        } finally {
            admin.shutdown();
        }
        assertEquals(before, bob.join("big", -1));
        for (long seq = before + 1; seq <= before + 2; seq++) {
            assertEquals(seq, a.say("big", "large").get(10, TimeUnit.SECONDS));
            bob.expect(seq, "large");
        }
        Member carol = cluster.member(a);
        assertEquals(before + 2, carol.join("big", before));
        carol.expect(before + 1, "large");
        carol.expect(before + 2, "large");
    }

    /** The room's counter and history are the only keys, the history holding every message: nothing ran. */
    private void assertOnlyTheRoomsKeys(String room, long messages) {
        RoomKeys keys = new RoomKeys("duplex:");
        RedisClient admin = RedisClient.create(cluster.redis.url());
        try (StatefulRedisConnection<String, String> c = admin.connect()) {
            assertEquals(Set.of(keys.seq(room), keys.log(room)), Set.copyOf(c.sync().keys("*")));
            assertEquals(messages, c.sync().xlen(keys.log(room)));
        } finally {
            admin.shutdown();
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static String hex(byte[] b) {
        return "binary " + HexFormat.of().formatHex(b);
    }
}
