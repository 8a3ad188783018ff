package dev.completions.openai;

import static dev.completions.openai.Fixtures.DONE;
import static dev.completions.openai.Fixtures.content;
import static dev.completions.openai.Fixtures.hello;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.completions.api.ProviderException;
import dev.completions.tck.LoopbackServer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS verifies the certificate and the host name unless trust material is configured explicitly.
 */
class OpenAiTlsTest {

  @TempDir static Path dir;

  private static LoopbackServer server;
  private static KeyStore keys;
  private static final char[] PASSWORD = "changeit".toCharArray();

  @BeforeAll
  static void startServer() throws Exception {
    Path store = dir.resolve("server.p12");
    Process keytool =
        new ProcessBuilder(
                Paths.get(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    String log = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(log).isZero();
    keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, PASSWORD);
    }
    KeyManagerFactory keyManagers =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, PASSWORD);
    SSLContext serverContext = SSLContext.getInstance("TLS");
    serverContext.init(keyManagers.getKeyManagers(), null, null);
    server = LoopbackServer.start(serverContext);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private static SSLContext trusting() throws Exception {
    Certificate certificate = keys.getCertificate("server");
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("server", certificate);
    TrustManagerFactory trustManagers =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trustManagers.getTrustManagers(), null);
    return context;
  }

  private static Fixtures.Builder https(String host) {
    return Fixtures.provider(server, new Fixtures.RecordingSleeper())
        .baseUrl("https://" + host + ":" + server.port());
  }

  @Test
  void aSelfSignedCertificateIsRefusedByDefault() {
    try (OpenAiCompatibleProvider acme = https("127.0.0.1").build()) {
      ProviderException e =
          catchThrowableOfType(ProviderException.class, () -> acme.complete(hello()).text());

      assertThat(e).isInstanceOf(ProviderException.ConnectionFailed.class);
      assertThat(e.getMessage()).startsWith("[Acme] TLS failed with 127.0.0.1: ");
      assertThat(e.isRetryable()).isFalse();
      assertThat(e.attempts()).isEqualTo(1);
      assertThat(acme.leasedConnections()).isZero();
    }
  }

  @Test
  void theSameServerIsAcceptedWithExplicitTrustMaterial() throws Exception {
    server.enqueue(Fixtures.sse(content("secure"), DONE));
    try (OpenAiCompatibleProvider acme = https("127.0.0.1").sslContext(trusting()).build()) {
      assertThat(acme.complete(hello()).text()).isEqualTo("secure");
    }
  }

  @Test
  void aTrustedCertificateForAnotherHostNameIsRefused() throws Exception {
    try (OpenAiCompatibleProvider acme = https("localhost").sslContext(trusting()).build()) {
      ProviderException e =
          catchThrowableOfType(ProviderException.class, () -> acme.complete(hello()).text());

      assertThat(e).isInstanceOf(ProviderException.ConnectionFailed.class);
      assertThat(e.getMessage()).startsWith("[Acme] TLS failed with localhost: ");
      assertThat(e.isRetryable()).isFalse();
    }
  }
}
