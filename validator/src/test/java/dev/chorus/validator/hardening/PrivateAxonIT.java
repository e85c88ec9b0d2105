package dev.chorus.validator.hardening;

import dev.chorus.config.ValidatorConfig;
import dev.chorus.miner.server.Miner;
import dev.chorus.scoring.embedding.EmbeddingOptions;
import dev.chorus.scoring.embedding.OnnxEmbeddingModel;
import dev.chorus.validator.Query;
import dev.chorus.validator.ValidatorService;
import dev.chorus.validator.state.RoundLog;
import dev.chorus.validator.state.RoundRecord;
import dev.chorus.validator.testing.TestSubnet;
import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.chorus.validator.testing.TestSubnet.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Miners that registered internal addresses: two real miners on 127.0.0.1 and a stand-in for a service inside the
 * validator's network on 127.0.0.2, which a miner can register as its axon. With {@code rounds.allow_private_axons}
 * off, nothing connects to any of them, each counts as NOT_SERVING in the round log with the setting named, the
 * refusals are counted by range, and each uid is logged once, not every round. With it on, the validator connects to
 * all three, the internal service included.
 */
class PrivateAxonIT {

    static final Query QUESTION = new Query("water-boiling", "At what temperature does water boil at sea level?", null);

    static TestSubnet subnet;
    static OnnxEmbeddingModel model;
    static ServerSocket internalService;
    static final AtomicInteger internalConnections = new AtomicInteger();
    static final AtomicInteger minerQueries = new AtomicInteger();
    static String internalAxon;

    @BeforeAll
    static void startSubnetWithAnInternalServiceAsAxon() throws Exception {
        Miner counting = query -> {
            minerQueries.incrementAndGet();
            return "Water boils at 100 degrees Celsius at sea level.";
        };
        subnet = TestSubnet.start(100, List.of(counting, counting, counting));
        internalService = new ServerSocket();
        internalService.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
        Thread.ofPlatform().daemon().name("internal-service").start(() -> {
            while (!internalService.isClosed()) {
                try (Socket connection = internalService.accept()) {
                    internalConnections.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        subnet.client(subnet.minerAccounts.get(2)).serveAxon(subnet.netuid, "127.0.0.2", internalService.getLocalPort());
        internalAxon = "127.0.0.2:" + internalService.getLocalPort();
        model = OnnxEmbeddingModel.open(EmbeddingOptions.defaults());
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (internalService != null) {
            internalService.close();
        }
        if (model != null) {
            model.close();
        }
        if (subnet != null) {
            subnet.close();
        }
    }

    @Test
    void axonsOnInternalAddressesAreNotAskedAndCountAsNotServing(@TempDir Path state) throws Exception {
        int minersBefore = minerQueries.get();
        int internalBefore = internalConnections.get();
        ValidatorService service;
        String logged;
        try (LogSecretScan logs = LogSecretScan.start()) {
            service = startValidator(false, state);
            try {
                TestSubnet.runRoundOnceSynced(service);
                TestSubnet.runRound(service);
            } finally {
                await(service.stop());
            }
            logged = logs.text();
        }

        assertThat(minerQueries.get()).as("queries that reached the miners on 127.0.0.1").isEqualTo(minersBefore);
        assertThat(internalConnections.get()).as("connections to the internal service").isEqualTo(internalBefore);
        List<RoundRecord> rounds = RoundLog.read(state.resolve(RoundLog.FILE_NAME)).rounds();
        assertThat(rounds).hasSize(2);
        for (RoundRecord round : rounds) {
            assertThat(round.miners()).hasSize(3).allSatisfy(miner -> {
                assertThat(miner.failure()).isEqualTo("NOT_SERVING");
                assertThat(miner.detail()).contains("loopback address", "rounds.allow_private_axons is off");
                assertThat(miner.reward()).isZero();
            });
        }
        assertThat(count(service, "chorus_validator_private_axons_refused", "range", "loopback")).isEqualTo(6);
        assertThat(count(service, "chorus_validator_miner_requests", "outcome", "not_serving")).isEqualTo(6);
        assertThat(logged.lines().filter(line -> line.contains("serves its axon at")).toList())
                .as("one line per uid over two rounds").hasSize(3)
                .anySatisfy(line -> assertThat(line).contains(internalAxon, "a loopback address",
                        "rounds.allow_private_axons: true"));
    }

    @Test
    void withTheSettingOnTheValidatorConnectsToThemAll(@TempDir Path state) throws Exception {
        int minersBefore = minerQueries.get();
        int internalBefore = internalConnections.get();
        String logged;
        try (LogSecretScan logs = LogSecretScan.start()) {
            ValidatorService service = startValidator(true, state);
            try {
                TestSubnet.runRoundOnceSynced(service);
            } finally {
                await(service.stop());
            }
            assertThat(service.metrics().registry().find("chorus_validator_private_axons_refused").counters())
                    .as("refusals by range").allSatisfy(refused -> assertThat(refused.count()).isZero());
            logged = logs.text();
        }
        assertThat(minerQueries.get() - minersBefore).as("miners on 127.0.0.1 asked").isEqualTo(2);
        assertThat(internalConnections.get()).as("the internal service was connected to").isGreaterThan(internalBefore);
        assertThat(logged).as("no warning: the chain is on this host").doesNotContain("allow_private_axons is on while");
    }

    /** A validator that starts rounds only when asked ({@link TestSubnet#runRound}). */
    private static ValidatorService startValidator(boolean allowPrivateAxons, Path state) throws Exception {
        ValidatorConfig config = subnet.validatorConfig(state, Map.of(
                "rounds.allow_private_axons", Boolean.toString(allowPrivateAxons), "rounds.period", "1h"));
        return await(ValidatorService.start(subnet.vertx, config,
                subnet.validatorParts(config, subnet.client(subnet.validator), model, () -> QUESTION), "", r -> { }));
    }

    private static double count(ValidatorService service, String name, String tag, String value) {
        Counter counter = service.metrics().registry().find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }
}
