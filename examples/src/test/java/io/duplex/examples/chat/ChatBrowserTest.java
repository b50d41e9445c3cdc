package io.duplex.examples.chat;

import static io.duplex.examples.chat.ChromiumPages.awaitConnected;
import static io.duplex.examples.chat.ChromiumPages.awaitLog;
import static io.duplex.examples.chat.ChromiumPages.join;
import static io.duplex.examples.chat.ChromiumPages.occurrences;
import static io.duplex.examples.chat.ChromiumPages.say;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.nio.EventLoopGroup;
import io.duplex.nio.WebSocketClient;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * Two headless Chromium pages hold a conversation through the chat page, on one server. Skipped without
 * Chromium on a developer machine, failed without it when {@code CI=true} ({@link ChromiumPages}).
 */
class ChatBrowserTest {

    private ChatServer chat;
    private final ChromiumPages pages = new ChromiumPages();

    @BeforeEach
    void requireChromium() throws Exception {
        ChromiumPages.require();
        chat = ChatServer.start(ChatServer.Options.loopback().loops(2));
    }

    @AfterEach
    void stop() throws IOException {
        pages.close();
        if (chat != null) {
            chat.close();
        }
    }

    private WebDriver browser() throws IOException {
        return pages.open(chat.pageUrl());
    }

    @Test
    void twoPagesHoldAConversation() throws Exception {
        WebDriver alice = browser();
        WebDriver bob = browser();
        awaitConnected(alice);
        awaitConnected(bob);
        join(alice, "alice", "lobby");
        awaitLog(alice, "joined lobby at #0");
        join(bob, "bob", "lobby");
        awaitLog(bob, "joined lobby at #0");
        awaitLog(alice, "bob joined lobby");

        say(alice, "hello bob");
        awaitLog(bob, "[lobby #1] alice: hello bob");
        awaitLog(alice, "[lobby #1] alice: hello bob");
        say(bob, "hi alice <b>not bold</b>");
        awaitLog(alice, "[lobby #2] bob: hi alice <b>not bold</b>");
        assertTrue(alice.findElements(By.tagName("b")).isEmpty(), "text is shown as text, never as HTML");

        // Every connection drops; the pages reconnect with backoff and resume after the last seq they saw,
        // while a third member speaks: each page shows the message exactly once, whether it came live or
        // in the replay.
        chat.server().connections().forEach(io.duplex.core.WebSocket::abort);
        EventLoopGroup loops = EventLoopGroup.create(1);
        try (ChatClient carol = new ChatClient(WebSocketClient.builder().loops(loops).build(), chat.socketUrl())) {
            carol.join("lobby", "carol");
            carol.next("joined");
            carol.say("lobby", "while you were away");
            String line = "[lobby #3] carol: while you were away";
            awaitLog(alice, line);
            awaitLog(bob, line);
            assertEquals(1, occurrences(alice, line), "no duplicate after resume");
            assertEquals(1, occurrences(bob, line), "no duplicate after resume");
            awaitConnected(alice);
            awaitConnected(bob);
        } finally {
            loops.close();
        }

        alice.findElement(By.id("whoButton")).click();
        awaitLog(alice, "in lobby: alice, bob");
        say(bob, "back");
        awaitLog(alice, "[lobby #4] bob: back");
        bob.findElement(By.id("leaveButton")).click();
        awaitLog(alice, "bob left lobby");
    }
}
