package io.duplex.examples.wscat;

/**
 * A command-line WebSocket client and server in the spirit of {@code wscat} and {@code websocat}.
 *
 * <pre>
 * java -jar examples/target/duplex-examples.jar wscat ws://localhost:8080/chat
 * java -jar examples/target/duplex-examples.jar wscat -H "Authorization: Bearer T" --subprotocol v1 --deflate --ping 5 wss://…
 * java -jar examples/target/duplex-examples.jar wscat --listen 9000
 * </pre>
 *
 * Each line of stdin is sent as a text message; each message received is printed on stdout, text as is and
 * binary as hex. See {@link WscatOptions#USAGE} for the options and exit status.
 */
public final class Wscat {

    private Wscat() {
    }

    /** Runs wscat and exits with its status. */
    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    static int run(String[] args) throws Exception {
        Output output = new Output();
        WscatOptions options;
        try {
            options = WscatOptions.parse(args);
        } catch (WscatOptions.UsageException e) {
            output.event(e.getMessage());
            System.err.println(WscatOptions.USAGE);
            return 2;
        }
        return options.listen() ? new WscatListener(options, output).run() : new WscatClient(options, output).run();
    }
}
