package io.duplex.examples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.duplex.nio.EventLoopGroup;
import io.duplex.nio.WebSocketClient;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Two headless Chromium pages hold a conversation through the chat page. Needs Debian's {@code chromium} and
 * {@code chromium-driver} (or {@code CHROMIUM_BIN} and {@code CHROMEDRIVER}): skipped without them on a
 * developer machine, failed without them when {@code CI=true}.
 */
class ChatBrowserTest {

    private static final File CHROMIUM = new File(envOr("CHROMIUM_BIN", "/usr/bin/chromium"));
    private static final File DRIVER = new File(envOr("CHROMEDRIVER", "/usr/bin/chromedriver"));

    private ChatServer chat;
    private final List<WebDriver> browsers = new ArrayList<>();
    private final List<Path> profiles = new ArrayList<>();

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    @BeforeEach
    void requireChromium() throws Exception {
        boolean present = CHROMIUM.canExecute() && DRIVER.canExecute();
        String missing = "headless Chromium test needs " + CHROMIUM + " and " + DRIVER
                + " (Debian packages chromium and chromium-driver; .ci/install-peers installs them)";
        if (!present && "true".equals(System.getenv("CI"))) {
            fail(missing + ": missing under CI=true");
        }
        Assumptions.assumeTrue(present, missing + ": skipped");
        chat = ChatServer.start(ChatServer.Options.loopback().loops(2));
    }

    @AfterEach
    void stop() throws IOException {
        browsers.forEach(WebDriver::quit);
        if (chat != null) {
            chat.close();
        }
        for (Path p : profiles) {
            try (Stream<Path> files = Files.walk(p)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private WebDriver browser() throws IOException {
        Path profile = Files.createTempDirectory("duplex-chromium-");
        profiles.add(profile);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER)
                .usingAnyFreePort().build();
        WebDriver d = new ChromeDriver(service, options);
        browsers.add(d);
        d.get(chat.pageUrl());
        return d;
    }

    private static void join(WebDriver d, String nick, String room) {
        d.findElement(By.id("nick")).sendKeys(nick);
        d.findElement(By.id("room")).clear();
        d.findElement(By.id("room")).sendKeys(room);
        d.findElement(By.id("joinButton")).click();
    }

    private static void say(WebDriver d, String text) {
        d.findElement(By.id("text")).sendKeys(text);
        d.findElement(By.id("sayButton")).click();
    }

    private static void awaitLog(WebDriver d, String line) {
        new WebDriverWait(d, Duration.ofSeconds(30)).withMessage("page log to show: " + line)
                .until(x -> x.findElement(By.id("log")).getText().contains(line));
    }

    private static void awaitConnected(WebDriver d) {
        new WebDriverWait(d, Duration.ofSeconds(30)).withMessage("page to connect")
                .until(x -> x.findElement(By.id("status")).getText().equals("connected"));
    }

    private static int occurrences(WebDriver d, String line) {
        String log = d.findElement(By.id("log")).getText();
        int n = 0;
        for (int at = log.indexOf(line); at >= 0; at = log.indexOf(line, at + 1)) {
            n++;
        }
        return n;
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
