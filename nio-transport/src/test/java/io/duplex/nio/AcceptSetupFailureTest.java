package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/**
 * A connection whose setup throws (here: an {@link SSLContext} that was never initialised, so it cannot make an
 * engine) is closed and uncounted, and the server keeps accepting; on the acceptor's own loop the rest of the
 * accept batch is set up in the same call, so one failure must not strand the sockets after it.
 */
class AcceptSetupFailureTest extends LoopbackFixture {

    @Test
    void aConnectionWhoseSetupThrowsIsClosedAndTheServerKeepsAccepting() throws Exception {
        SSLContext uninitialised = SSLContext.getInstance("TLS");
        WebSocketServer server = server(b -> b.handler(new Recorder()).tls(uninitialised));
        List<Socket> sockets = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 4; i++) {
                Socket s = new Socket("127.0.0.1", server.port());
                s.setSoTimeout(10_000);
                sockets.add(s);
            }
            for (Socket s : sockets) {
                InputStream in = s.getInputStream();
                assertEquals(-1, in.read(), "the server closed the socket it could not set up");
            }
            eventually(() -> server.connectionCount() == 0, "no connection is still counted");
            for (Socket s : sockets) {
                s.close();
            }
            sockets.clear();
        }
    }
}
