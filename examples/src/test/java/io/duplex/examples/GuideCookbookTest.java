package io.duplex.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java blocks of docs/guide.md's cookbook compile against the real API. Each block is a fragment, as a
 * guide shows code: it is compiled as the body of a method (or, when it declares methods or types, as class
 * members) of a class that provides the application stubs the recipes name.
 */
class GuideCookbookTest {

    private static final String STUBS = """
            import io.duplex.core.*;
            import io.duplex.nio.*;
            import java.net.URI;
            import java.time.Duration;
            import java.util.*;
            import java.util.concurrent.atomic.AtomicLong;

            public class Recipe {
                interface Sessions { String userFor(String sessionCookie); }
                interface Tokens { String redeem(String ticket); String userFor(String authorization); }
                Sessions sessions;
                Tokens tokens;
                WebSocketHandler handler;
                WebSocketServer server;
                WebSocketClient client;
                Rooms rooms;
                WebSocket ws;
                String room;
                String nick;
                long since;
                String update;

                static long seqOf(String json) {
                    return json.length();
                }

            """;
    private static final Pattern MEMBERS = Pattern.compile("^(\\s*//[^\\n]*\\n)*\\s*(static |private |void |class |record |interface )");

    @TempDir
    Path dir;

    @Test
    void everyCookbookBlockCompiles() throws Exception {
        String guide = SnippetCompiler.readDoc("docs/guide.md");
        int start = guide.indexOf("\n## Cookbook\n");
        assertTrue(start >= 0, "docs/guide.md has no Cookbook section");
        int end = guide.indexOf("\n## ", start + 1);
        List<String> blocks = SnippetCompiler.javaBlocks(guide.substring(start, end < 0 ? guide.length() : end));
        // Authentication, origin, heartbeats, resume (server and client), slow clients (rooms and producer).
        assertTrue(blocks.size() >= 7, "expected the cookbook's recipes, found " + blocks.size() + " blocks");
        int i = 0;
        for (String block : blocks) {
            String source = MEMBERS.matcher(block).lookingAt()
                    ? STUBS + block + "}\n"
                    : STUBS + "    void recipe() throws Exception {\n" + block + "    }\n}\n";
            SnippetCompiler.compile("Recipe", source, dir.resolve("recipe" + i++));
        }
    }
}
