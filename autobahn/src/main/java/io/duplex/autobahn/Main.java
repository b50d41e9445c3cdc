package io.duplex.autobahn;

import java.util.Arrays;
import java.util.List;

/**
 * The command line of {@code duplex-autobahn.jar}: {@code server} (the echo testee for Autobahn's fuzzing
 * client), {@code client} (the testee for its fuzzing server) and {@code summarize} (reads a report index and
 * exits non-zero on failed cases).
 */
public final class Main {

    private Main() {
    }

    /** Runs the subcommand named by {@code args[0]} and exits with its status. */
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
            System.exit(2);
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        int status;
        try {
            status = run(args[0], rest);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            status = 2;
        }
        System.exit(status);
    }

    private static int run(String command, List<String> rest) throws Exception {
        int status;
        switch (command) {
            case "server" -> status = ServerCommand.run(rest, System.out);
            case "client" -> status = ClientCommand.run(rest, System.out, System.err);
            case "summarize" -> status = SummarizeCommand.run(rest, System.out, System.err);
            default -> {
                usage();
                status = 2;
            }
        }
        return status;
    }

    private static void usage() {
        System.err.println("""
                usage: java -jar duplex-autobahn.jar COMMAND
                  server --port 9001 [--host 127.0.0.1] [--loops N]   echo testee for the fuzzing client
                  client --url ws://127.0.0.1:9001 --agent duplex [--cases 1-517]
                                                                      testee for the fuzzing server
                  summarize [--fail-on-non-strict] reports/servers/index.json
                                                                      counts per section; exit 1 on FAILED
                                                                      or UNIMPLEMENTED cases""");
    }
}
