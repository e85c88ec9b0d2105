package dev.chorus.validator.hardening;

import dev.chorus.chain.Metagraph;
import dev.chorus.config.ValidatorConfig;
import dev.chorus.miner.client.HttpMinerClient;
import dev.chorus.miner.client.HttpMinerClientOptions;
import dev.chorus.miner.protocol.Hotkey;
import dev.chorus.miner.server.Miner;
import dev.chorus.scoring.consensus.ConsensusScorer;
import dev.chorus.scoring.consensus.MinerScore;
import dev.chorus.scoring.consensus.Round;
import dev.chorus.scoring.consensus.RoundAnswer;
import dev.chorus.scoring.consensus.RoundScorer;
import dev.chorus.scoring.consensus.RoundScores;
import dev.chorus.scoring.consensus.ScoringOptions;
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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static dev.chorus.validator.testing.TestSubnet.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A hostile axon registered next to three honest miners: for every fault the round log and the metrics name the
 * failure, no miner's exchange outlives the miner deadline by more than 100 ms, and the honest miners earn exactly
 * what they would have earned in the same round without the hostile miner. Everything logged meanwhile is scanned
 * for the dev accounts' private keys, which must never appear.
 */
class MinerFaultIT {

    static final Query QUESTION = new Query("water-boiling", "At what temperature does water boil at sea level?", null);
    static final List<String> HONEST = List.of(
            "At sea level water boils at 100 degrees Celsius, which is 212 degrees Fahrenheit.",
            "Water boils at 100 °C (212 °F) under standard atmospheric pressure at sea level.",
            "The boiling point of water at sea level is one hundred degrees Celsius.");
    static final long MINER_TIMEOUT_MS = 700;
    static final long DEADLINE_SLACK_MS = 1_000;

    static TestSubnet subnet;
    static OnnxEmbeddingModel model;
    static HostileAxon axon;
    static ValidatorService service;
    static ValidatorConfig config;
    @TempDir
    static Path state;
    static int hostileUid;
    static List<Integer> honestUids;
    static LogSecretScan logs;
    static final List<String> PRIVATE_KEYS = new ArrayList<>();

    @BeforeAll
    static void startSubnetWithHostileMiner() throws Exception {
        logs = LogSecretScan.start();
        List<Miner> miners = new ArrayList<>();
        HONEST.forEach(text -> miners.add(q -> text));
        miners.add(q -> "the hostile slot is re-pointed at a bare socket before any round");
        subnet = TestSubnet.start(100, miners);
        for (int i = 0; i < 2 + miners.size(); i++) {
            PRIVATE_KEYS.add(subnet.chain.devAccount(i).privateKey());
        }
        model = OnnxEmbeddingModel.open(EmbeddingOptions.defaults());
        var hostileAccount = subnet.minerAccounts.get(3);
        axon = new HostileAxon(Hotkey.fromPrivateKey(hostileAccount.privateKey()), "Water boils at 100 degrees.");
        subnet.client(hostileAccount).serveAxon(subnet.netuid, "127.0.0.1", axon.port());
        Metagraph metagraph = subnet.owner.metagraph(subnet.netuid);
        hostileUid = metagraph.byHotkey(hostileAccount.address()).orElseThrow().uid();
        honestUids = subnet.minerAccounts.subList(0, 3).stream()
                .map(a -> metagraph.byHotkey(a.address()).orElseThrow().uid()).toList();
        assertThat(metagraph.neuron(hostileUid).axon().port()).isEqualTo(axon.port());

        config = subnet.validatorConfig(state, Map.of("rounds.miner_timeout", MINER_TIMEOUT_MS + "ms"));
        service = await(ValidatorService.start(subnet.vertx, config, new ValidatorService.Parts(
                subnet.client(subnet.validator),
                new HttpMinerClient(subnet.vertx, Hotkey.fromPrivateKey(subnet.validator.privateKey()),
                        HttpMinerClientOptions.defaults()),
                scorer(), () -> QUESTION, new Random(1)), "", router -> { }));
        // The first round of a cold JVM loads the HTTP, JSON and crypto code and can overrun its deadline (seen while
        // signing still ran on the event loop: 1355 ms against 700 ms); the fault matrix is about a warm validator.
        axon.behave(MinerFault.HTTP_500);
        firstRoundStartedAfter(0, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopAllThenFindNoPrivateKeyInTheLogs() throws Exception {
        if (service != null) {
            await(service.stop());
        }
        logs.close();
        assertNoPrivateKeyLogged();
        if (axon != null) {
            axon.close();
        }
        if (model != null) {
            model.close();
        }
        if (subnet != null) {
            subnet.close();
        }
    }

    /** Every line the validator, miners and chain client logged, with stack traces, searched for any dev key. */
    private static void assertNoPrivateKeyLogged() {
        assertThat(logs.events()).as("log lines captured").isGreaterThan(10);
        assertThat(PRIVATE_KEYS).hasSizeGreaterThanOrEqualTo(6);
        assertThat(LogSecretScan.leaked(logs.text(), PRIVATE_KEYS)).as("dev accounts whose private key was logged").isEmpty();
        System.out.printf("secrets: %d log events scanned for %d dev private keys, none found%n", logs.events(),
                PRIVATE_KEYS.size());
    }

    static RoundScorer scorer() {
        return new RoundScorer(model, new ConsensusScorer(ScoringOptions.from(config.scoring(), config.rounds().minerTimeout())));
    }

    @ParameterizedTest
    @EnumSource(MinerFault.class)
    void hostileMinerIsClassifiedAndHonestRewardsAreUnchanged(MinerFault fault) throws Exception {
        axon.behave(fault);
        long since = System.currentTimeMillis();
        String outcome = fault.expected.name().toLowerCase(Locale.ROOT);
        double countedBefore = requests(outcome);

        RoundRecord round = firstRoundStartedAfter(since, Duration.ofSeconds(30));
        RoundRecord.MinerRecord hostile = round.miners().stream().filter(m -> m.uid() == hostileUid).findFirst().orElseThrow();

        assertThat(hostile.failure()).as("failure recorded for %s (detail: %s)", fault, hostile.detail())
                .isEqualTo(fault.expected.name());
        assertThat(hostile.reward()).isZero();
        assertThat(requests(outcome)).as("chorus_validator_miner_requests_total{outcome=%s}", outcome)
                .isGreaterThan(countedBefore);
        // The deadline is the client's only bound on a hanging or trickling miner, so a broken one shows as seconds
        // over; the slack only absorbs a busy 2-core CI machine's scheduling delay.
        for (RoundRecord.MinerRecord miner : round.miners()) {
            assertThat(miner.latencyMs()).as("uid %d exchange time", miner.uid())
                    .isLessThanOrEqualTo(MINER_TIMEOUT_MS + DEADLINE_SLACK_MS);
        }
        assertHonestRewardsAsWithoutHostile(round);
        System.out.printf("miner fault %s -> %s after %d ms: %s%n", fault, hostile.failure(), hostile.latencyMs(),
                hostile.detail());
    }

    /** Scores the honest answers of the same round alone, with the trust the validator gave them, and compares. */
    private static void assertHonestRewardsAsWithoutHostile(RoundRecord round) {
        List<RoundAnswer> honestOnly = new ArrayList<>();
        for (RoundRecord.MinerRecord miner : round.miners()) {
            if (honestUids.contains(miner.uid())) {
                assertThat(miner.failure()).as("honest uid %d failed: %s", miner.uid(), miner.detail()).isNull();
                honestOnly.add(RoundAnswer.answered(miner.uid(), miner.answer(), Duration.ofMillis(miner.latencyMs()),
                        miner.trust()));
            }
        }
        assertThat(honestOnly).hasSize(HONEST.size());
        RoundScores alone = scorer().score(new Round(round.prompt(), honestOnly, round.reference()));
        for (RoundRecord.MinerRecord miner : round.miners()) {
            if (honestUids.contains(miner.uid())) {
                double expected = alone.forUid(miner.uid()).map(MinerScore::reward).orElseThrow();
                assertThat(miner.reward()).as("honest uid %d reward", miner.uid()).isCloseTo(expected, within(1e-9));
            }
        }
    }

    private static RoundRecord firstRoundStartedAfter(long since, Duration patience) throws Exception {
        long until = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < until) {
            for (RoundRecord round : RoundLog.read(state.resolve(RoundLog.FILE_NAME)).rounds()) {
                if (round.timestampMs() > since && !round.organic()) {
                    return round;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no round started after the fault was armed within " + patience);
    }

    private static double requests(String outcome) {
        Counter counter = service.metrics().registry().find("chorus_validator_miner_requests").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }
}
