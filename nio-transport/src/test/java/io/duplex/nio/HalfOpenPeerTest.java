package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The keepalive finds a peer that vanished without a word, on a real half-open TCP connection: a Python
 * {@code websockets} client in a network namespace of its own, joined to this one by a veth pair, connects
 * and answers pings; then every packet in its namespace is dropped ({@code iptables -j DROP}), as when a phone
 * loses its network. No FIN, no RST: only the missing answer to a ping tells the server.
 *
 * <p>Needs root, {@code ip}, {@code iptables} and Debian's python3-websockets: skipped with a message on a
 * developer machine without them, failed in CI ({@code CI=true}), where {@code .ci/install-peers} installs
 * them. The addresses (10.231.N.0/30) exist only on the veth pair this test makes; nothing leaves the machine.
 */
class HalfOpenPeerTest extends LoopbackFixture {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    /** Unique per JVM, so two builds running this test at once do not collide. */
    private static final long ID = ProcessHandle.current().pid() % 250;
    private static final String NS = "dplx-ho-" + ID;
    private static final String VETH_HOST = "dpxh" + ID + "a";
    private static final String VETH_PEER = "dpxh" + ID + "b";
    private static final String HOST_ADDRESS = "10.231." + ID + ".1";
    private static final String PEER_ADDRESS = "10.231." + ID + ".2";

    /** Connects, proves the echo works, then waits (answering pings) until killed. */
    private static final String PEER = String.join("\n",
            "import asyncio, sys, websockets",
            "async def main():",
            "    async with websockets.connect(sys.argv[1], ping_interval=None, close_timeout=600) as ws:",
            "        await ws.send('hello')",
            "        print(await ws.recv(), flush=True)",
            "        await asyncio.sleep(600)",
            "asyncio.run(main())");

    private Process peer;

    @Test
    void keepaliveClosesAPeerWhoseNetworkVanished() throws Exception {
        requireNetworkNamespaces();
        createNamespace();
        Recorder serverSide = new Recorder() {
            @Override
            public void onText(WebSocket socket, String text) {
                super.onText(socket, text);
                socket.sendText(text);
            }
        };
        WebSocketServer server = server(b -> b.host(HOST_ADDRESS).handler(serverSide)
                .pingInterval(Duration.ofMillis(500)).pongTimeout(Duration.ofSeconds(3))
                .closeTimeout(Duration.ofSeconds(1)));
        peer = new ProcessBuilder("ip", "netns", "exec", NS, PYTHON.toString(), "-c", PEER,
                "ws://" + HOST_ADDRESS + ":" + server.port() + "/").redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8));
        String echoed = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return "read failed: " + e;
            }
        }).get(30, TimeUnit.SECONDS);
        assertEquals("hello", echoed, "the peer in the namespace is connected");
        // Alive and answering: the keepalive keeps it.
        for (int i = 0; i < 3; i++) {
            assertNotNull(serverSide.pongs.poll(10, TimeUnit.SECONDS), "the live peer answers ping " + i);
        }
        assertFalse(serverSide.closed.isDone(), "a peer that answers pings stays connected");

        ip("netns", "exec", NS, "iptables", "-A", "INPUT", "-j", "DROP");
        ip("netns", "exec", NS, "iptables", "-A", "OUTPUT", "-j", "DROP");

        Recorder.Closed closed = serverSide.closed.get(30, TimeUnit.SECONDS);
        assertEquals(CloseStatus.GOING_AWAY, closed.status().code(), "the keepalive's close code");
        assertFalse(closed.clean(), "the peer could not answer the Close");
        assertTrue(serverSide.errors.stream().anyMatch(TimeoutException.class::isInstance),
                "the handler hears it was the keepalive: " + serverSide.errors);
        eventually(() -> server.connectionCount() == 0, "the dead peer's connection to be released");
        assertTrue(peer.isAlive(), "the peer itself never learned anything");
    }

    @AfterEach
    void removeNamespace() throws Exception {
        if (peer != null) {
            peer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (Files.isDirectory(Path.of("/var/run/netns", NS)) || Files.exists(Path.of("/var/run/netns", NS))) {
            // Deleting the namespace deletes its end of the veth pair, and with it ours.
            run(List.of("ip", "netns", "delete", NS), false);
        }
        run(List.of("ip", "link", "delete", VETH_HOST), false);
    }

    private static void createNamespace() throws Exception {
        run(List.of("ip", "netns", "delete", NS), false); // left over from a killed run
        run(List.of("ip", "link", "delete", VETH_HOST), false);
        ip("netns", "add", NS);
        ip("link", "add", VETH_HOST, "type", "veth", "peer", "name", VETH_PEER);
        ip("link", "set", VETH_PEER, "netns", NS);
        ip("addr", "add", HOST_ADDRESS + "/30", "dev", VETH_HOST);
        ip("link", "set", VETH_HOST, "up");
        ip("netns", "exec", NS, "ip", "addr", "add", PEER_ADDRESS + "/30", "dev", VETH_PEER);
        ip("netns", "exec", NS, "ip", "link", "set", VETH_PEER, "up");
        ip("netns", "exec", NS, "ip", "link", "set", "lo", "up");
    }

    /** Skips on a developer machine without what the test needs; fails when {@code CI=true}. */
    private static void requireNetworkNamespaces() throws Exception {
        List<String> missing = new ArrayList<>();
        if (!"root".equals(System.getProperty("user.name")) && !isUid0()) {
            missing.add("root (to create a network namespace)");
        }
        if (!run(List.of("ip", "-V"), false)) {
            missing.add("ip (iproute2)");
        }
        if (!run(List.of("iptables", "-V"), false)) {
            missing.add("iptables");
        }
        if (!Files.isExecutable(PYTHON) || !run(List.of(PYTHON.toString(), "-c", "import websockets"), false)) {
            missing.add("python3-websockets (for " + PYTHON + ")");
        }
        if (missing.isEmpty()) {
            return;
        }
        String message = "half-open peer test needs " + String.join(", ", missing) + ": run .ci/install-peers as root";
        String ci = System.getenv("CI");
        if (ci != null && "true".equalsIgnoreCase(ci.trim())) {
            Assertions.fail(message + " (CI=true: this test must run)");
        }
        Assumptions.assumeTrue(false, message);
    }

    private static boolean isUid0() throws Exception {
        Process p = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
        String uid = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        return p.waitFor(10, TimeUnit.SECONDS) && "0".equals(uid);
    }

    private static void ip(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("ip");
        command.addAll(List.of(args));
        run(command, true);
    }

    /** Runs {@code command}; returns whether it succeeded, or fails the test when {@code required}. */
    private static boolean run(List<String> command, boolean required) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            if (required) {
                fail(command + " could not start: " + e);
            }
            return false;
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(command + " hung");
        }
        if (p.exitValue() != 0 && required) {
            fail(command + " failed (" + p.exitValue() + "): " + output);
        }
        return p.exitValue() == 0;
    }
}
