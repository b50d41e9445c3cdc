package io.duplex.autobahn;

import io.duplex.core.CloseStatus;
import io.duplex.core.deflate.PerMessageDeflate;
import io.duplex.nio.WebSocketClient;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code client --url ws://127.0.0.1:9001 --agent duplex [--cases A-B]}: the client-role testee for the
 * suite's fuzzing server. Asks {@code /getCaseCount}, runs each case at {@code /runCase?case=N&agent=...}
 * echoing every message until the server closes, then asks {@code /updateReports?agent=...} to write the
 * report. Offers permessage-deflate with its default settings (sections 12 and 13). Exit status 0 when every
 * case ran to its close, 1 when some could not connect or never ended.
 */
final class ClientCommand {

    private static final List<String> OPTIONS = List.of("url", "agent", "cases");
    /**
     * The fuzzing server (Autobahn on Jython) can take many seconds to answer an opening handshake on a busy
     * machine, most of all right after a heavy case: the client waits this long for TCP and the handshake.
     */
    private static final long CONNECT_SECONDS = 60;
    /** Section 9's largest cases take a while on a slow machine; a case that outlasts this is stuck. */
    private static final long CASE_SECONDS = 600;

    private final WebSocketClient client;
    private final String base;
    private final PrintStream out;

    private ClientCommand(WebSocketClient client, String base, PrintStream out) {
        this.client = client;
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.out = out;
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws InterruptedException {
        Flags flags = Flags.parse(args, OPTIONS);
        String agent = flags.text("agent", "duplex");
        String encodedAgent = URLEncoder.encode(agent, StandardCharsets.UTF_8);
        try (WebSocketClient client = WebSocketClient.builder().config(TesteeLimits.config())
                .maxBufferedBytes(TesteeLimits.MAX_BUFFERED).extensions(List.of(PerMessageDeflate.defaults()))
                .handshakeTimeout(Duration.ofSeconds(CONNECT_SECONDS)).build()) {
            ClientCommand command = new ClientCommand(client, flags.text("url", "ws://127.0.0.1:9001"), out);
            FuzzingServerHandler counter = command.session("/getCaseCount", FuzzingServerHandler.listening());
            int count;
            try {
                count = Integer.parseInt(String.valueOf(counter.firstText()).trim());
            } catch (NumberFormatException e) {
                err.println("the server answered /getCaseCount with " + counter.firstText());
                return 1;
            }
            String spec = flags.text("cases", null);
            CaseRange cases = spec == null ? CaseRange.all(count) : CaseRange.parse(spec, count);
            out.println("running cases " + cases.first() + "-" + cases.last() + " of " + count + " as agent " + agent);
            int broken = 0;
            for (int n = cases.first(); n <= cases.last(); n++) {
                try {
                    FuzzingServerHandler c = command.session("/runCase?case=" + n + "&agent=" + encodedAgent,
                            FuzzingServerHandler.echoing());
                    CloseStatus status = c.closed().getNow(null);
                    out.println("case " + n + ": closed " + (status == null ? "?" : status.code()));
                } catch (ExecutionException | TimeoutException e) {
                    broken++;
                    err.println("case " + n + " did not run to its close: " + e);
                }
            }
            command.session("/updateReports?agent=" + encodedAgent, FuzzingServerHandler.listening());
            out.println(broken == 0 ? "all " + cases.size() + " cases ran" : broken + " cases did not run");
            return broken == 0 ? 0 : 1;
        } catch (ExecutionException | TimeoutException e) {
            err.println("cannot talk to the fuzzing server: " + e);
            return 1;
        }
    }

    /** Connects to {@code pathAndQuery} and waits until the server has closed the connection. */
    private FuzzingServerHandler session(String pathAndQuery, FuzzingServerHandler handler)
            throws InterruptedException, ExecutionException, TimeoutException {
        client.connect(URI.create(base + pathAndQuery), handler).get(CONNECT_SECONDS, TimeUnit.SECONDS);
        handler.closed().get(CASE_SECONDS, TimeUnit.SECONDS);
        return handler;
    }
}
