package dev.chorus.chain.web3j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.SubnetInfo;
import dev.chorus.chain.local.BlockClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The local chain's clock: blocks without transactions, and each epoch run as soon as it is due. */
class BlockClockIT {

    @RegisterExtension
    static final ChainFixture fixture = new ChainFixture(1);

    @Test
    void blocksAdvanceOnTheirOwnAndEveryDueEpochRuns() throws Exception {
        int tempo = 3;
        int netuid = fixture.owner().createSubnet(Hyperparameters.localDevelopment(tempo));
        Web3jSubnetChain epochSigner = fixture.newNeuron();
        long createdAt = fixture.owner().subnetInfo(netuid).lastEpochBlock();
        List<String> told = new CopyOnWriteArrayList<>();
        try (BlockClock clock = BlockClock.start(fixture.chain, epochSigner, netuid, Duration.ofMillis(50), told::add)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (told.stream().filter(line -> line.startsWith("epoch of subnet " + netuid)).count() < 3) {
                assertThat(System.nanoTime()).as("three epochs within 30 s; told: %s", told).isLessThan(deadline);
                Thread.sleep(20);
            }
        }
        long blockAfter = fixture.chain.blockNumber();
        SubnetInfo info = fixture.owner().subnetInfo(netuid);
        // Each epoch needs tempo blocks after the last and mines only one itself: the clock mined the rest.
        assertThat(info.lastEpochBlock()).isGreaterThanOrEqualTo(createdAt + 3L * tempo);
        assertThat(blockAfter).isGreaterThanOrEqualTo(info.lastEpochBlock());
        assertThat(told).allMatch(line -> line.startsWith("epoch of subnet " + netuid + " run in block "));
        Thread.sleep(200);
        assertThat(fixture.chain.blockNumber()).as("no block after the clock stopped").isEqualTo(blockAfter);
    }

    @Test
    void aTempoChangedWhileTheClockRunsTakesEffect() throws Exception {
        int netuid = fixture.owner().createSubnet(Hyperparameters.localDevelopment(3));
        fixture.owner().setHyperparameters(netuid, Hyperparameters.localDevelopment(0));
        List<String> told = new CopyOnWriteArrayList<>();
        try (BlockClock clock = BlockClock.start(fixture.chain, fixture.newNeuron(), netuid, Duration.ofMillis(50), told::add)) {
            long pausedUntil = fixture.chain.blockNumber() + 10;
            while (fixture.chain.blockNumber() < pausedUntil) {
                Thread.sleep(20);
            }
            assertThat(told).as("no epoch while the tempo is 0").isEmpty();

            fixture.owner().setHyperparameters(netuid, Hyperparameters.localDevelopment(3));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (told.isEmpty()) {
                assertThat(System.nanoTime()).as("an epoch within 30 s of the tempo's return").isLessThan(deadline);
                Thread.sleep(20);
            }
        }
        assertThat(told.getFirst()).startsWith("epoch of subnet " + netuid + " run in block ");
    }
}
