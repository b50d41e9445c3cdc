package io.duplex.examples.chat;

import io.duplex.testing.ExternalPeer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium pages of the chat, each in its own browser with a temporary profile, and the steps a user
 * takes on the page. Needs Debian's {@code chromium} and {@code chromium-driver} (or {@code CHROMIUM_BIN} and
 * {@code CHROMEDRIVER}): {@link #require()} skips the calling test without them on a developer machine and
 * fails it when {@code CI=true}.
 */
final class ChromiumPages implements AutoCloseable {

    private static final File CHROMIUM = new File(envOr("CHROMIUM_BIN", "/usr/bin/chromium"));
    private static final File DRIVER = new File(envOr("CHROMEDRIVER", "/usr/bin/chromedriver"));
    /** A chat message line of the page's log: {@code [room #seq] nick: text}. */
    private static final Pattern MESSAGE = Pattern.compile("^\\[(.+) #(\\d+)\\] ([^:]+): (.*)$");

    private final List<WebDriver> browsers = new ArrayList<>();
    private final List<Path> profiles = new ArrayList<>();

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    /** Returns if Chromium and its driver are there; otherwise skips the test, or fails it under CI=true. */
    static void require() {
        ExternalPeer.require(CHROMIUM.canExecute() && DRIVER.canExecute(), "headless Chromium test needs "
                + CHROMIUM + " and " + DRIVER + " (Debian packages chromium and chromium-driver;"
                + " .ci/install-peers installs them)");
    }

    /** A new browser showing {@code url}. */
    WebDriver open(String url) throws IOException {
        Path profile = Files.createTempDirectory("duplex-chromium-");
        profiles.add(profile);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                // A page left for another must close its WebSocket, not wait in the back-forward cache.
                "--disable-features=BackForwardCache", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER)
                .usingAnyFreePort().build();
        WebDriver d = new ChromeDriver(service, options);
        browsers.add(d);
        d.get(url);
        return d;
    }

    static void join(WebDriver d, String nick, String room) {
        d.findElement(By.id("nick")).sendKeys(nick);
        d.findElement(By.id("room")).clear();
        d.findElement(By.id("room")).sendKeys(room);
        d.findElement(By.id("joinButton")).click();
    }

    static void say(WebDriver d, String text) {
        d.findElement(By.id("text")).sendKeys(text);
        d.findElement(By.id("sayButton")).click();
    }

    /** Waits (at most 30 s, a bound on a hang) until the page's log shows {@code line}. */
    static void awaitLog(WebDriver d, String line) {
        new WebDriverWait(d, Duration.ofSeconds(30)).withMessage("page log to show: " + line)
                .until(x -> x.findElement(By.id("log")).getText().contains(line));
    }

    /** Waits (at most 30 s) until the page says it is connected. */
    static void awaitConnected(WebDriver d) {
        new WebDriverWait(d, Duration.ofSeconds(30)).withMessage("page to connect")
                .until(x -> x.findElement(By.id("status")).getText().equals("connected"));
    }

    /** How many times {@code line} appears in the page's log. */
    static int occurrences(WebDriver d, String line) {
        String log = d.findElement(By.id("log")).getText();
        int n = 0;
        for (int at = log.indexOf(line); at >= 0; at = log.indexOf(line, at + 1)) {
            n++;
        }
        return n;
    }

    /** The chat messages of the page's log, in the order shown, as {@code [room #seq] nick: text}. */
    static List<String> messages(WebDriver d) {
        List<String> lines = new ArrayList<>();
        for (String line : d.findElement(By.id("log")).getText().split("\n")) {
            if (MESSAGE.matcher(line).matches()) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** The sequence number of a line of {@link #messages}. */
    static long seq(String messageLine) {
        Matcher m = MESSAGE.matcher(messageLine);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a message line: " + messageLine);
        }
        return Long.parseLong(m.group(2));
    }

    /** Waits (at most 30 s) until the page's log shows at least {@code n} chat messages; returns them. */
    static List<String> awaitMessages(WebDriver d, int n) {
        new WebDriverWait(d, Duration.ofSeconds(30)).withMessage(() -> n + " messages in the page log, got "
                + messages(d)).until(x -> messages(x).size() >= n);
        return messages(d);
    }

    /** Quits every browser and deletes their profiles. */
    @Override
    public void close() throws IOException {
        browsers.forEach(WebDriver::quit);
        for (Path p : profiles) {
            try (Stream<Path> files = Files.walk(p)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
