package dev.chorus.validator;

import dev.chorus.chain.SubnetChain;
import dev.chorus.chain.local.DevAccount;
import dev.chorus.chain.local.LocalChain;
import dev.chorus.chain.web3j.ClientOptions;
import dev.chorus.chain.web3j.Web3jSubnetChain;
import dev.chorus.config.ValidatorConfig;
import dev.chorus.miner.server.Miner;
import dev.chorus.scoring.embedding.EmbeddingModel;
import dev.chorus.validator.testing.FlatEmbeddingModel;
import dev.chorus.validator.testing.TestSubnet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static dev.chorus.validator.testing.TestSubnet.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A uid that leaves the subnet (here its registration is reorganised away; on a local chain, a chain started afresh
 * under a running validator) and is later taken by another hotkey belongs to a new miner: the status shows it none of
 * the old owner's last reward and failures, as for a uid that changes hands in place.
 */
class SubnetShrinkIT {

    /** Constant vectors: this test is about which uid a tally belongs to, not about scores. */
    private static final EmbeddingModel FLAT = new FlatEmbeddingModel();

    @Test
    void aUidTakenAgainAfterTheSubnetShrankShowsItsNewOwnerNoneOfTheOldOwnersTallies(@TempDir Path state) throws Exception {
        Miner answers = q -> "Water boils at 100 degrees Celsius at sea level.";
        Miner fails = q -> {
            throw new IllegalStateException("the model is down");
        };
        try (TestSubnet subnet = TestSubnet.start(1000, List.of(answers, fails))) {
            ValidatorConfig config = subnet.validatorConfig(state, Map.of("rounds.period", "1h", "weights.dry_run", "true"));
            ValidatorService service = await(ValidatorService.start(subnet.vertx, config,
                    subnet.validatorParts(config, subnet.client(subnet.validator), FLAT,
                            () -> new Query("boil", "At what temperature does water boil?", null)), "", router -> { }));
            try {
                TestSubnet.runRoundOnceSynced(service);
                assertThat(miner(service, 2)).hasValueSatisfying(m -> assertThat(m.get("failures")).isEqualTo(1));

                long registered = subnet.owner.metagraph(subnet.netuid).neuron(2).registeredAt();
                subnet.chain.reorg(subnet.chain.blockNumber() - registered + 1);
                awaitStatus(service, "uid 2 gone with its registration", () -> miner(service, 2).isEmpty());

                DevAccount newcomer = LocalChain.deriveDevAccounts(5).get(4);
                subnet.chain.setBalance(newcomer.address(), BigInteger.TEN.pow(21));
                try (SubnetChain chain = Web3jSubnetChain.local(subnet.chain.rpcUrl(), subnet.contract,
                        newcomer.credentials(), ClientOptions.localChain(subnet.chain.chainId()))) {
                    chain.register(subnet.netuid);
                }
                awaitStatus(service, "uid 2 taken by the newcomer", () -> miner(service, 2)
                        .map(m -> newcomer.address().equalsIgnoreCase((String) m.get("hotkey"))).orElse(false));

                Map<String, Object> taken = miner(service, 2).orElseThrow();
                assertThat(taken.get("failures")).as("failures shown for the newcomer").isEqualTo(0);
                assertThat(taken.get("last_reward")).as("last reward shown for the newcomer").isNull();
            } finally {
                await(service.stop());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Optional<Map<String, Object>> miner(ValidatorService service, int uid) throws Exception {
        return ((List<Map<String, Object>>) await(service.status()).get("miners")).stream()
                .filter(m -> m.get("uid").equals(uid)).findFirst();
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitStatus(ValidatorService service, String what, Check check) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!check.holds()) {
            assertThat(System.nanoTime()).as(what).isLessThan(until);
            Thread.sleep(100);
        }
    }
}
