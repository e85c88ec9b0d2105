package dev.chorus.validator;

import dev.chorus.chain.AxonInfo;
import dev.chorus.chain.Metagraph;
import dev.chorus.chain.Neuron;
import dev.chorus.validator.admin.Readiness;
import dev.chorus.validator.state.ValidatorState.WeightsRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class StatusDocumentTest {

    private static final String SELF = "0x00000000000000000000000000000000000000aa";
    private static final int NETUID = 3;

    /** uid 0 is this validator (the chain's checksummed spelling), 1 and 2 serving miners, 3 a miner off line, 4 another validator. */
    private static final Metagraph METAGRAPH = new Metagraph(NETUID, 1200, List.of(
            neuron(0, SELF.toUpperCase().replace("0X", "0x"), true, true, 0),
            neuron(1, hotkey(1), false, true, 65535),
            neuron(2, hotkey(2), false, true, 32768),
            neuron(3, hotkey(3), false, false, 0),
            neuron(4, hotkey(4), true, true, 0)));

    private static final double[] SCORES = {0.0, 0.82, 0.41, 0.05, 0.0};

    private static String hotkey(int uid) {
        return String.format("0x%040x", uid + 1);
    }

    private static Neuron neuron(int uid, String hotkey, boolean permit, boolean serving, int incentive) {
        AxonInfo axon = serving ? new AxonInfo(1, 1, AxonInfo.encodeIp("10.0.0." + (uid + 1)), 9000 + uid, 4, 0) : AxonInfo.NONE;
        return new Neuron(uid, hotkey, String.format("0x%040x", uid + 1001), BigInteger.valueOf(1_000_000L * (uid + 1)),
                axon, permit, true, 1100, 10, 0, incentive, 0, 0, BigInteger.valueOf(500L * uid));
    }

    private static WeightsRecord setWeights(String status, List<Integer> uids, List<Integer> values) {
        return new WeightsRecord("w-7", "set", uids, values, 1, List.of(), null, 1150, 11, "0xfeed", status, "");
    }

    /** The weights this validator set after rounds that rewarded uid 2 three times as much as uid 1. */
    private static final WeightsRecord CONFIRMED = setWeights("confirmed", List.of(1, 2, 3), List.of(16384, 49152, 0));

    private static StatusDocument document(Metagraph metagraph, WeightsRecord lastWeights, Map<String, Object> organic) {
        Map<String, Object> chain = new LinkedHashMap<>();
        chain.put("block", 1200L);
        chain.put("error", "");
        chain.put("blocks_since_weights", 50L);
        chain.put("tempo", 100L);
        chain.put("blocks_to_next_epoch", 96L);
        Map<String, Long> sinceStart = new LinkedHashMap<>();
        sinceStart.put("completed", 40L);
        sinceStart.put("failed", 1L);
        sinceStart.put("skipped_overlap", 0L);
        sinceStart.put("skipped_no_miners", 2L);
        Map<Integer, Double> lastReward = new TreeMap<>(Map.of(1, 0.9, 2, 0.35));
        Map<Integer, Integer> failures = new TreeMap<>(Map.of(3, 4));
        Map<String, Object> point = new LinkedHashMap<>();
        point.put("round", 42L);
        point.put("t", 1_790_000_000_000L);
        point.put("scores", new TreeMap<>(Map.of(0, 0.0, 1, 0.82, 2, 0.41, 3, 0.05, 4, 0.0)));
        return new StatusDocument(new StatusDocument.Validator(SELF, OptionalInt.of(0), NETUID, "validating"),
                Readiness.ok(), chain, new StatusDocument.Rounds(42, true, sinceStart),
                new StatusDocument.Weights(lastWeights, null, null), metagraph,
                new StatusDocument.Tallies(uid -> SCORES[uid], lastReward, failures), List.of(point), organic);
    }

    private static Map<String, Object> status() {
        return document(METAGRAPH, CONFIRMED, null).toMap();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> miners(Map<String, Object> status) {
        return (List<Map<String, Object>>) status.get("miners");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> part(Map<String, Object> status, String key) {
        return (Map<String, Object>) status.get(key);
    }

    private static Map<String, Object> miner(Map<String, Object> status, int uid) {
        return miners(status).stream().filter(m -> m.get("uid").equals(uid)).findFirst().orElseThrow();
    }

    @Test
    void keysAreNamedAndOrderedAsTheDashboardReadsThem() {
        Map<String, Object> status = status();

        assertThat(List.copyOf(status.keySet())).containsExactly("validator", "ready", "not_ready_reason", "chain",
                "rounds", "last_weights", "pending_weights", "last_rejection", "miners", "history");
        assertThat(List.copyOf(part(status, "validator").keySet())).containsExactly("hotkey", "uid", "netuid", "mode");
        assertThat(List.copyOf(part(status, "rounds").keySet())).containsExactly("count", "in_flight", "since_start");
        assertThat(List.copyOf(miner(status, 1).keySet())).containsExactly("uid", "hotkey", "axon", "validator_permit",
                "score", "last_reward", "weight", "incentive", "emission", "failures");
        assertThat(miner(status, 4)).as("another validator").containsEntry("validator_permit", true);
        assertThat(miner(status, 1)).containsEntry("validator_permit", false);
    }

    @Test
    void showsWhoTheValidatorIsAndWhereItStands() {
        Map<String, Object> status = status();

        assertThat(status.get("validator")).isEqualTo(Map.of("hotkey", SELF, "uid", 0, "netuid", NETUID, "mode", "validating"));
        assertThat(status.get("ready")).isEqualTo(true);
        assertThat(status.get("not_ready_reason")).isEqualTo("");
        assertThat(part(status, "chain").get("blocks_to_next_epoch")).isEqualTo(96L);
        assertThat(status.get("rounds")).isEqualTo(Map.of("count", 42L, "in_flight", true,
                "since_start", Map.of("completed", 40L, "failed", 1L, "skipped_overlap", 0L, "skipped_no_miners", 2L)));
        assertThat(status.get("last_weights")).isEqualTo(CONFIRMED.publicView());
        assertThat(status.get("pending_weights")).isNull();
        assertThat((List<?>) status.get("history")).singleElement().extracting(p -> ((Map<?, ?>) p).get("round")).isEqualTo(42L);
    }

    @Test
    void anUnregisteredValidatorHasANullUid() {
        StatusDocument registered = document(METAGRAPH, CONFIRMED, null);
        StatusDocument unregistered = new StatusDocument(new StatusDocument.Validator(SELF, OptionalInt.empty(), NETUID,
                "validating"), Readiness.notReady("hotkey not registered on subnet 3"), registered.chain(),
                registered.rounds(), registered.weights(), registered.metagraph(), registered.tallies(),
                registered.history(), null);

        Map<String, Object> status = unregistered.toMap();

        assertThat(part(status, "validator")).containsEntry("uid", null);
        assertThat(status.get("ready")).isEqualTo(false);
        assertThat(status.get("not_ready_reason")).isEqualTo("hotkey not registered on subnet 3");
    }

    @Test
    void ownNeuronIsLeftOutOfMinersWhateverTheCaseOfItsHotkey() {
        assertThat(miners(status())).extracting(m -> m.get("uid")).containsExactly(1, 2, 3, 4);
    }

    /** Only the neuron that is this validator, by its hotkey and its permit, is left out. */
    @ParameterizedTest
    @CsvSource({
            "0x00000000000000000000000000000000000000aa, true, false",
            "0x00000000000000000000000000000000000000AA, true, false",
            "0x00000000000000000000000000000000000000aa, false, true",
            "0x00000000000000000000000000000000000000bb, true, true",
    })
    void uidZeroIsShownUnlessItIsThisValidator(String hotkey, boolean permit, boolean shown) {
        Metagraph metagraph = new Metagraph(NETUID, 1200, List.of(neuron(0, hotkey, permit, true, 0),
                neuron(1, hotkey(1), false, true, 65535)));

        List<Map<String, Object>> miners = miners(document(metagraph, CONFIRMED, null).toMap());

        assertThat(miners).extracting(m -> m.get("uid")).contains(1).hasSize(shown ? 2 : 1);
        assertThat(miners.stream().anyMatch(m -> m.get("uid").equals(0))).isEqualTo(shown);
    }

    @Test
    void weightIsEachUidsShareOfTheLastWeightsSet() {
        Map<String, Object> status = status();

        assertThat((double) miner(status, 1).get("weight")).isCloseTo(0.25, within(1e-12));
        assertThat((double) miner(status, 2).get("weight")).isCloseTo(0.75, within(1e-12));
        assertThat(miner(status, 3).get("weight")).as("a uid weighed 0").isEqualTo(0.0);
        assertThat(miner(status, 4).get("weight")).as("a uid not in the weights").isEqualTo(0.0);
    }

    @Test
    void weightsLostToAReorgWeighNothing() {
        WeightsRecord lost = CONFIRMED.with(WeightSetter.LOST, CONFIRMED.txHash(), CONFIRMED.block(),
                "its block was reorganised away");

        Map<String, Object> status = document(METAGRAPH, lost, null).toMap();

        assertThat(miners(status)).extracting(m -> m.get("weight")).containsOnly(0.0);
        assertThat(status.get("last_weights")).as("the lost weights are still shown as lost").isEqualTo(lost.publicView());
    }

    @Test
    void noWeightsYetWeighNothing() {
        assertThat(miners(document(METAGRAPH, null, null).toMap())).extracting(m -> m.get("weight")).containsOnly(0.0);
    }

    @Test
    void aCommitNotYetRevealedShowsNoWeights() {
        WeightsRecord committed = new WeightsRecord("w-8", "commit", List.of(1, 2), List.of(1, 3), 1, List.of(5, 6, 7),
                "0xc0ffee", 1150, 11, "0xbeef", "committed", "");

        Map<String, Object> status = document(METAGRAPH, committed, null).toMap();

        WeightsRecord shown = (WeightsRecord) status.get("last_weights");
        assertThat(shown.uids()).isEmpty();
        assertThat(shown.values()).isEmpty();
        assertThat(shown.salt()).isEmpty();
        assertThat(shown.commitHash()).isEqualTo("0xc0ffee");
    }

    @Test
    void eachMinerShowsItsScoreRewardAndFailures() {
        Map<String, Object> status = status();

        assertThat(miner(status, 1)).containsEntry("hotkey", hotkey(1)).containsEntry("score", 0.82)
                .containsEntry("last_reward", 0.9).containsEntry("failures", 0)
                .containsEntry("emission", BigInteger.valueOf(500));
        assertThat(miner(status, 3)).as("a uid never rewarded").containsEntry("last_reward", null)
                .containsEntry("score", 0.05).containsEntry("failures", 4);
    }

    @Test
    void axonIsHostAndPortOrEmptyWhenNotServing() {
        Map<String, Object> status = status();

        assertThat(miner(status, 1).get("axon")).isEqualTo("10.0.0.2:9001");
        assertThat(miner(status, 2).get("axon")).isEqualTo("10.0.0.3:9002");
        assertThat(miner(status, 3).get("axon")).isEqualTo("");
    }

    @Test
    void incentiveIsScaledFromTheChainsU16() {
        Map<String, Object> status = status();

        assertThat(miner(status, 1).get("incentive")).isEqualTo(1.0);
        assertThat((double) miner(status, 2).get("incentive")).isCloseTo(0.5, within(1e-4));
        assertThat(miner(status, 3).get("incentive")).isEqualTo(0.0);
    }

    @Test
    void noMetagraphYetShowsNoMiners() {
        Map<String, Object> status = document(null, CONFIRMED, null).toMap();

        assertThat(status).containsKey("miners");
        assertThat(miners(status)).isNotNull().isEmpty();
    }

    @Test
    void organicStatusIsShownOnlyWhenOrganicQueriesAreOn() {
        Map<String, Object> organic = new LinkedHashMap<>();
        organic.put("requests", 12L);
        organic.put("port", 8092);

        assertThat(status()).doesNotContainKey("organic");
        Map<String, Object> on = document(METAGRAPH, CONFIRMED, organic).toMap();
        assertThat(on.get("organic")).isEqualTo(organic);
        assertThat(List.copyOf(on.keySet())).last().isEqualTo("organic");
    }

    @Test
    void historyIsACopyThatALaterRoundDoesNotChange() {
        List<Map<String, Object>> history = new ArrayList<>(List.of(Map.of("round", 1L)));
        StatusDocument base = document(METAGRAPH, CONFIRMED, null);
        Map<String, Object> status = new StatusDocument(base.validator(), base.readiness(), base.chain(), base.rounds(),
                base.weights(), base.metagraph(), base.tallies(), history, null).toMap();

        history.add(Map.of("round", 2L));

        assertThat((List<?>) status.get("history")).hasSize(1);
    }
}
