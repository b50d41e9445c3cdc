package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.WebSocket;
import io.duplex.core.deflate.PerMessageDeflate;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * permessage-deflate (RFC 7692) on real loopback sockets: a client and an echo server, both with
 * {@link PerMessageDeflate}, for every combination of the four parameters the client can ask for; the
 * handshake agrees them, and large messages (16 MiB for a few combinations) come back intact.
 */
class PerMessageDeflateLoopbackTest extends LoopbackFixture {

    static Stream<Arguments> combinations() {
        List<Arguments> all = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            boolean snct = (i & 1) != 0;
            boolean cnct = (i & 2) != 0;
            int smwb = (i & 4) != 0 ? 9 : 15;
            int cmwb = (i & 8) != 0 ? 8 : 15;
            int size = i == 0 || i == 15 || i == 5 || i == 10 ? 16 << 20 : 1 << 18;
            all.add(Arguments.of(snct, cnct, smwb, cmwb, size));
        }
        return all.stream();
    }

    /** Text-like data: repeated words with random choices, so compression has work to do and pays off. */
    private static byte[] data(int size, long seed) {
        String[] words = {"alpha ", "beta ", "gamma ", "delta ", "{\"id\":", "42,", "\"name\":\"x\"}", "\n"};
        Random r = new Random(seed);
        byte[] out = new byte[size];
        int at = 0;
        while (at < size) {
            byte[] w = words[r.nextInt(words.length)].getBytes(StandardCharsets.UTF_8);
            int n = Math.min(w.length, size - at);
            System.arraycopy(w, 0, out, at, n);
            at += n;
        }
        return out;
    }

    @ParameterizedTest(name = "snct={0} cnct={1} smwb={2} cmwb={3} size={4}")
    @MethodSource("combinations")
    void everyParameterCombinationOverSockets(boolean snct, boolean cnct, int smwb, int cmwb, int size)
            throws Exception {
        PerMessageDeflate clientDeflate = PerMessageDeflate.builder().serverNoContextTakeover(snct)
                .clientNoContextTakeover(cnct).serverMaxWindowBits(smwb).clientMaxWindowBits(cmwb).level(1).build();
        WebSocketServer server = server(b -> b.handler(RoundTripTest.ECHO)
                .extensions(List.of(PerMessageDeflate.builder().level(1).build())));
        Recorder clientSide = new Recorder();
        WebSocket client = client(b -> b.extensions(List.of(clientDeflate)))
                .connect(uri(server), clientSide).get(10, TimeUnit.SECONDS);

        String agreed = client.extensions();
        assertTrue(agreed.startsWith("permessage-deflate"), agreed);
        assertEquals(snct, agreed.contains("server_no_context_takeover"), agreed);
        assertEquals(cnct, agreed.contains("client_no_context_takeover"), agreed);
        assertEquals(smwb < 15, agreed.contains("server_max_window_bits=" + smwb), agreed);
        assertEquals(cmwb < 15, agreed.contains("client_max_window_bits=" + cmwb), agreed);

        byte[] big = data(size, size);
        client.sendBinary(ByteBuffer.wrap(big)).get(30, TimeUnit.SECONDS);
        assertArrayEquals(big, (byte[]) clientSide.messages.poll(30, TimeUnit.SECONDS));
        String text = new String(data(size / 4, 7), StandardCharsets.UTF_8) + "é€😀";
        client.sendText(text);
        client.sendText("small");
        client.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), false);
        client.sendBinary(ByteBuffer.wrap(big, 0, 100_000), true);
        assertEquals(text, clientSide.messages.poll(30, TimeUnit.SECONDS));
        assertEquals("small", clientSide.messages.poll(10, TimeUnit.SECONDS));
        byte[] parts = (byte[]) clientSide.messages.poll(10, TimeUnit.SECONDS);
        assertEquals(100_003, parts.length);
        client.close().get(10, TimeUnit.SECONDS);
        assertTrue(clientSide.awaitClose().clean());
    }
}
