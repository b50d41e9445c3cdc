package io.duplex.autobahn;

import java.io.IOException;

/**
 * The entry point the Autobahn Maven plugin calls: {@code main(new String[] {port})} in Maven's own JVM.
 * Starts the {@code duplex-nio} echo testee on 127.0.0.1 at that port and returns; the server's event loops
 * keep serving until the JVM exits.
 */
public final class NioEchoTestee {

    private NioEchoTestee() {
    }

    /** Starts the echo testee on 127.0.0.1 at the port given as {@code args[0]} (default 9001). */
    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9001;
        int bound = ServerCommand.start("127.0.0.1", port, 0).port();
        System.out.println("duplex echo testee (duplex-nio) listening on ws://127.0.0.1:" + bound + "/");
    }
}
