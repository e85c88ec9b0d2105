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
        long blockBefore = fixture.chain.blockNumber();
        try (BlockClock clock = BlockClock.start(fixture.chain, epochSigner, netuid, Duration.ofMillis(50), told::add)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (told.stream().filter(line -> line.startsWith("epoch of subnet " + netuid)).count() < 3) {
                assertThat(System.nanoTime()).as("three epochs within 30 s; told: %s", told).isLessThan(deadline);
                Thread.sleep(20);
            }
        }
        long blockAfter = fixture.chain.blockNumber();
        SubnetInfo info = fixture.owner().subnetInfo(netuid);
        assertThat(info.lastEpochBlock()).isGreaterThanOrEqualTo(createdAt + 3L * tempo);
        assertThat(blockAfter - blockBefore).as("blocks mined").isGreaterThanOrEqualTo(3L * tempo);
        assertThat(told).allMatch(line -> line.startsWith("epoch of subnet " + netuid + " run in block "));
        Thread.sleep(200);
        assertThat(fixture.chain.blockNumber()).as("no block after the clock stopped").isEqualTo(blockAfter);
    }
}
