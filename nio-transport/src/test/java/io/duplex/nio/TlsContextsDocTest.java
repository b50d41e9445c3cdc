package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocket;
import io.duplex.nio.internal.tls.SelfSignedCertificates;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guide's {@code TlsContexts} class, compiled from docs/guide.md as written, loads a PKCS#12 key store and
 * a PEM certificate and key made here with keytool and the JDK's encoders, and each context serves wss://.
 */
class TlsContextsDocTest extends LoopbackFixture {

    private static final Pattern TLS_CONTEXTS = Pattern.compile("```java\\n([^`]*public final class TlsContexts[^`]*)```");

    @TempDir
    static Path dir;

    private static Class<?> tlsContexts;

    @BeforeAll
    static void compileTheGuidesClass() throws Exception {
        Path guide = Path.of("..", "docs", "guide.md");
        Matcher m = TLS_CONTEXTS.matcher(Files.readString(guide, StandardCharsets.UTF_8));
        assertTrue(m.find(), "no TlsContexts class in " + guide.toAbsolutePath());
        Path source = dir.resolve("TlsContexts.java");
        Files.writeString(source, m.group(1), StandardCharsets.UTF_8);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter messages = new StringWriter();
        boolean ok = javac.getTask(messages, null, null, List.of("-d", dir.toString(), "-Xlint:all", "-Werror"), null,
                javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(source)).call();
        assertTrue(ok, "the guide's TlsContexts does not compile:\n" + messages);
        tlsContexts = new URLClassLoader(new URL[] {dir.toUri().toURL()}, TlsContextsDocTest.class.getClassLoader())
                .loadClass("TlsContexts");
    }

    private static SSLContext call(String method, Class<?>[] types, Object... args) throws Exception {
        Method m = tlsContexts.getMethod(method, types);
        try {
            return (SSLContext) m.invoke(null, args);
        } catch (InvocationTargetException e) {
            throw (Exception) e.getCause();
        }
    }

    @Test
    void pkcs12KeyStoreServesWss() throws Exception {
        SelfSignedCertificates certs = SelfSignedCertificates.localhost();
        Path p12 = dir.resolve("server.p12");
        certs.writePkcs12(p12);
        SSLContext tls = call("fromPkcs12", new Class<?>[] {Path.class, char[].class}, p12,
                SelfSignedCertificates.password());
        echoesOverWss(tls, certs);
    }

    @Test
    void pemCertificateAndKeyServeWss() throws Exception {
        SelfSignedCertificates certs = SelfSignedCertificates.localhost();
        SSLContext tls = fromPem("good", certs, "PRIVATE KEY", certs.privateKey().getEncoded());
        echoesOverWss(tls, certs);
    }

    @Test
    void pemWithoutPkcs8KeyIsRefusedWithAMessage() {
        SelfSignedCertificates certs = SelfSignedCertificates.localhost();
        Exception e = assertThrows(Exception.class, () -> fromPem("sec1", certs, "EC PRIVATE KEY", new byte[] {1, 2, 3}));
        assertTrue(e.getMessage().contains("not an unencrypted PKCS#8 PEM key"), e.getMessage());
    }

    /** Writes the certificate and a key of PEM type {@code keyType} as files, and calls the guide's fromPem. */
    private static SSLContext fromPem(String name, SelfSignedCertificates certs, String keyType, byte[] key)
            throws Exception {
        Path chain = dir.resolve(name + "-fullchain.pem");
        Path privateKey = dir.resolve(name + "-privkey.pem");
        Files.writeString(chain, pem("CERTIFICATE", certs.certificate().getEncoded()), StandardCharsets.US_ASCII);
        Files.writeString(privateKey, pem(keyType, key), StandardCharsets.US_ASCII);
        return call("fromPem", new Class<?>[] {Path.class, Path.class}, chain, privateKey);
    }

    /** The connect future's TLS failure, as the guide and {@link WebSocketClient#connect} Javadoc list it. */
    @Test
    void untrustedCertificateFailsTheConnectWithSslHandshakeException() throws Exception {
        SelfSignedCertificates certs = SelfSignedCertificates.localhost();
        WebSocketServer server = server(b -> b.handler(RoundTripTest.ECHO).tls(certs.serverContext()));
        SSLContext trustsAnother = SelfSignedCertificates.wrongHost().clientContext();
        ExecutionException e = assertThrows(ExecutionException.class, () -> client(b -> b.tls(trustsAnother))
                .connect(URI.create("wss://localhost:" + server.port() + "/"), new Recorder()).get(10, TimeUnit.SECONDS));
        assertInstanceOf(SSLHandshakeException.class, e.getCause());
    }

    private void echoesOverWss(SSLContext serverContext, SelfSignedCertificates certs) throws Exception {
        WebSocketServer server = server(b -> b.handler(RoundTripTest.ECHO).tls(serverContext));
        Recorder received = new Recorder();
        WebSocket ws = client(b -> b.tls(certs.clientContext()))
                .connect(URI.create("wss://localhost:" + server.port() + "/"), received).get(10, TimeUnit.SECONDS);
        ws.sendText("over wss").get(5, TimeUnit.SECONDS);
        assertEquals("over wss", received.nextMessage());
        ws.close(CloseStatus.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        assertTrue(received.awaitClose().clean());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
