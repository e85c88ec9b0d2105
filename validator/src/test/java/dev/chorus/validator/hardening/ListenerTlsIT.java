package dev.chorus.validator.hardening;

import dev.chorus.config.AdminSettings;
import dev.chorus.config.ConfigLoader;
import dev.chorus.config.OrganicSettings;
import dev.chorus.validator.admin.AdminServer;
import dev.chorus.validator.admin.Readiness;
import dev.chorus.validator.organic.OrganicMetrics;
import dev.chorus.validator.organic.OrganicRounds;
import dev.chorus.validator.organic.OrganicServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Both validator listeners serve https from the operator's PEM files: a client that trusts the certificate gets its
 * answers, plain http on the same port gets none, and files that are not a certificate and its key stop the start
 * with the settings named. The certificate is made here with the JDK's keytool, as an operator could.
 */
class ListenerTlsIT {

    private static final String PASSWORD = "listener-tls-test";
    private static Vertx vertx;
    @TempDir
    static Path dir;
    private static Path certFile;
    private static Path keyFile;
    private static SSLContext trusting;

    @BeforeAll
    static void makeCertificate() throws Exception {
        vertx = Vertx.vertx();
        Path store = dir.resolve("listener.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "listener", "-keyalg", "RSA",
                "-keysize", "2048", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool finished: %s", output).isTrue();
        assertThat(process.exitValue()).as("keytool: %s", output).isZero();

        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        Certificate certificate = keys.getCertificate("listener");
        certFile = Files.writeString(dir.resolve("cert.pem"), pem("CERTIFICATE", certificate.getEncoded()));
        keyFile = Files.writeString(dir.resolve("key.pem"),
                pem("PRIVATE KEY", keys.getKey("listener", PASSWORD.toCharArray()).getEncoded()));

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("listener", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        trusting = SSLContext.getInstance("TLS");
        trusting.init(null, factory.getTrustManagers(), null);
    }

    @AfterAll
    static void closeVertx() {
        vertx.close().await();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static AdminServer admin(Path cert, Path key) {
        AdminSettings settings = ConfigLoader.load(AdminSettings.defaults(), Optional.empty(), Map.of(), Map.of(
                "port", "0", "tls_cert_file", cert.toString(), "tls_key_file", key.toString()));
        return new AdminServer(vertx, settings, "", new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                () -> Map.of("mode", "validating"), Readiness::ok, router -> { });
    }

    @Test
    void theAdminListenerServesHttpsAndNothingInPlainHttp() throws Exception {
        AdminServer server = admin(certFile, keyFile);
        int port = server.start().await();
        try {
            assertThat(https(port, "/health/live").statusCode()).isEqualTo(200);
            assertThat(plainHttp(port, "/health/live")).as("a plain http request").doesNotStartWith("HTTP/1.1 200");
        } finally {
            server.stop().await();
        }
    }

    @Test
    void theOrganicListenerServesHttps() throws Exception {
        OrganicSettings settings = ConfigLoader.load(OrganicSettings.defaults(), Optional.empty(), Map.of(), Map.of(
                "enabled", "true", "port", "0", "tls_cert_file", certFile.toString(), "tls_key_file", keyFile.toString()));
        // The listener answers a request without a valid key itself: these rounds have no miners, scorer or pool.
        OrganicRounds rounds = new OrganicRounds(settings, 1, "0x" + "0".repeat(40), null, null, null, null, new Random(1));
        OrganicServer organic = OrganicServer.create(vertx, settings, rounds,
                Map.of("CHORUS_API_KEY", "listener-tls-key-0123456789abcdef0123"),
                new OrganicMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));
        int port = organic.start().await();
        try {
            assertThat(https(port, "/v1/models").statusCode()).as("no API key, over https").isEqualTo(401);
        } finally {
            organic.stop(Duration.ZERO).await();
        }
    }

    @Test
    void filesThatAreNotACertificateAndItsKeyStopTheStartNamingTheSettings() throws Exception {
        Path notPem = Files.writeString(dir.resolve("not.pem"), "not a certificate\n");
        AdminServer server = admin(notPem, keyFile);
        assertThatThrownBy(() -> server.start().await())
                .hasMessageContaining("cannot serve https with admin.tls_cert_file " + notPem)
                .hasMessageContaining("admin.tls_key_file");
    }

    private static HttpResponse<String> https(int port, String path) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(trusting).build();
        return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** What a plain http request gets back: the first line, or "" when the server hangs up. */
    private static String plainHttp(int port, String path) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] reply = socket.getInputStream().readNBytes(64);
            return new String(reply, StandardCharsets.ISO_8859_1);
        } catch (IOException hungUp) {
            return "";
        }
    }
}
