package io.duplex.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * A certificate for {@code 127.0.0.1} made at test time by the JDK's {@code keytool}, written as the PEM files
 * redis-server reads.
 *
 * @param certificate the certificate, PEM (also what a client trusts)
 * @param privateKey its private key, PEM (PKCS #8)
 */
record SelfSignedCertificate(Path certificate, Path privateKey) {

    private static final String PASSWORD = "changeit";

    /** Makes one in {@code dir}. */
    static SelfSignedCertificate create(Path dir) throws IOException, InterruptedException,
            GeneralSecurityException {
        Path store = dir.resolve("redis.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-keyalg", "RSA", "-keysize", "2048",
                "-alias", "redis", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + output);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        SelfSignedCertificate c = new SelfSignedCertificate(dir.resolve("redis.crt"), dir.resolve("redis.key"));
        Files.writeString(c.certificate, pem("CERTIFICATE", ks.getCertificate("redis").getEncoded()));
        Files.writeString(c.privateKey, pem("PRIVATE KEY", ks.getKey("redis", PASSWORD.toCharArray()).getEncoded()));
        return c;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
