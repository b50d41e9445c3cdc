package io.duplex.bench.servers;

/** Reads the port argument every echo server's main takes. */
final class Ports {

    private Ports() {
    }

    static int fromArgs(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: <main class> PORT");
            System.exit(64);
        }
        return Integer.parseInt(args[0]);
    }

    /** Prints the line benchmarks/run.sh waits for before it starts the load. */
    static void announce(String server, int port) {
        System.out.println("listening " + server + " " + port);
        System.out.flush();
    }
}
