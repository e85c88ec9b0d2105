package dev.chorus.chain.local;

import dev.chorus.chain.ChainReceipt;
import dev.chorus.chain.EpochRunner;
import dev.chorus.chain.TransactionRejected;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Time for a local chain. Anvil mines a block only when a transaction arrives, and the Subnet contract runs an epoch
 * only when someone calls it, while subtensor makes a block every 12 seconds and runs each subnet's epoch inside block
 * production. So a chain left to a validator alone stops after the validator's first weights and never pays anyone.
 * The clock mines one block every {@code blockTime} and runs the subnet's epoch as soon as it is due.
 */
public final class BlockClock implements AutoCloseable {

    private final LocalChain chain;
    private final EpochRunner epochs;
    private final int netuid;
    private final Consumer<String> log;
    private final ScheduledExecutorService ticks;
    private String lastProblem;

    private BlockClock(LocalChain chain, EpochRunner epochs, int netuid, Consumer<String> log) {
        this.chain = chain;
        this.epochs = epochs;
        this.netuid = netuid;
        this.log = log;
        this.ticks = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("block-clock").daemon().factory());
    }

    /**
     * Starts ticking. {@code epochs} signs the epoch transactions; give it a key of its own, so that its
     * transactions never compete for a nonce with the validator or miner keys the chain hands out.
     *
     * @param log told of every epoch run and of every new problem (a problem repeated tick after tick is told once)
     */
    public static BlockClock start(LocalChain chain, EpochRunner epochs, int netuid, Duration blockTime, Consumer<String> log) {
        if (blockTime.isNegative() || blockTime.isZero()) {
            throw new IllegalArgumentException("block time " + blockTime + " must be above 0");
        }
        BlockClock clock = new BlockClock(chain, Objects.requireNonNull(epochs), netuid, log);
        long millis = Math.max(1, blockTime.toMillis());
        clock.ticks.scheduleWithFixedDelay(clock::tick, millis, millis, TimeUnit.MILLISECONDS);
        return clock;
    }

    /**
     * Mines, then asks the contract whether the epoch is due every block (an estimate that reverts when it is not):
     * the owner may change the tempo at any time, so a due block learnt earlier may no longer hold.
     */
    private void tick() {
        try {
            chain.mine(1);
            runEpochIfDue();
            lastProblem = null;
        } catch (RuntimeException e) {
            String problem = e.getMessage();
            // Ctrl-C stops Anvil from a shutdown hook while this thread may still tick: nothing to report then.
            if (chain.isRunning() && !Objects.equals(problem, lastProblem)) {
                log.accept("block clock: " + problem + " (it keeps trying every block)");
                lastProblem = problem;
            }
        }
    }

    private void runEpochIfDue() {
        try {
            ChainReceipt receipt = epochs.runEpoch(netuid);
            log.accept("epoch of subnet " + netuid + " run in block " + receipt.block());
        } catch (TransactionRejected rejected) {
            if (!rejected.errorName().equals("EpochNotDue")) {
                throw rejected;
            }
        }
    }

    /** Stops ticking; an epoch being sent is let finish. */
    @Override
    public void close() {
        ticks.shutdown();
        try {
            if (!ticks.awaitTermination(30, TimeUnit.SECONDS)) {
                ticks.shutdownNow();
            }
        } catch (InterruptedException e) {
            ticks.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
