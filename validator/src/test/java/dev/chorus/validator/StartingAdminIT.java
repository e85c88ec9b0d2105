package dev.chorus.validator;

import dev.chorus.config.ConfigLoader;
import dev.chorus.config.ValidatorConfig;
import dev.chorus.validator.hardening.LogSecretScan;
import dev.chorus.validator.organic.OrganicRefused;
import dev.chorus.validator.testing.TestSubnet;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin listener while the validator waits for its chain and model, scraped as Prometheus scrapes it. */
class StartingAdminIT {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    /**
     * The first line an operator sees names the admin listener as a browser on this host reaches it, as the service's
     * own line does: an IPv6 address in brackets, 127.0.0.1 for every address, https with TLS.
     */
    @Test
    void theLogNamesTheAdminListenerByItsUrl() throws Exception {
        int port = TestSubnet.freePort();
        ValidatorConfig config = ConfigLoader.load(ValidatorConfig.defaults(), Optional.empty(), Map.of(), Map.of(
                "chain.contract_address", "0x5FbDB2315678afecb367f032d93F642f64180aa3", "admin.host", "::1",
                "admin.port", Integer.toString(port)));

        try (LogSecretScan log = LogSecretScan.start();
             StartingAdmin starting = StartingAdmin.open(vertx, config, "0xabc", "")) {
            assertThat(log.text()).contains("admin endpoints on http://[::1]:" + port + "/ while the validator starts");
        }
    }

    /**
     * Alerts and dashboards on the organic series see zeros from the first scrape, as they do on the other families,
     * not "no data" until the chain answers and the organic listener opens.
     */
    @Test
    void theOrganicSeriesAreAtZeroWhileTheValidatorStarts() throws Exception {
        int port = TestSubnet.freePort();
        ValidatorConfig config = ConfigLoader.load(ValidatorConfig.defaults(), Optional.empty(), Map.of(), Map.of(
                "chain.contract_address", "0x5FbDB2315678afecb367f032d93F642f64180aa3", "admin.port",
                Integer.toString(port), "organic.enabled", "true", "organic.port", "0"));

        try (StartingAdmin starting = StartingAdmin.open(vertx, config, "0xabc", "")) {
            String scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();

            assertThat(scrape).contains("chorus_organic_requests_total{outcome=\"ok\"} 0.0",
                    "chorus_organic_requests_total{outcome=\"error\"} 0.0", "chorus_organic_latency_seconds_count 0",
                    "chorus_organic_agreement_count 0");
            assertThat(Arrays.stream(OrganicRefused.Reason.values()))
                    .allSatisfy(reason -> assertThat(scrape)
                            .contains("chorus_organic_requests_total{outcome=\"" + reason.outcome() + "\"} 0.0"));
        }
    }
}
