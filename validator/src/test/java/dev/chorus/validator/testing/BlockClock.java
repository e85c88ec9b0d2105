package dev.chorus.validator.testing;

import dev.chorus.chain.local.LocalChain;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Mines one block every period on Anvil, as a live chain makes blocks on its own, until closed. A test that needs
 * the head to stand still (to reorganise it, or to fill a block by hand) pauses it.
 */
public final class BlockClock implements AutoCloseable {

    private final LocalChain chain;
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("block-clock").daemon().factory());
    /** Held while a block is mined, so {@link #pause} returns only once no block is being mined. */
    private final Object mining = new Object();
    private boolean paused;
    private boolean failureReported;

    private BlockClock(LocalChain chain, Duration period) {
        this.chain = chain;
        ticks.scheduleAtFixedRate(this::tick, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    public static BlockClock start(LocalChain chain, Duration period) {
        return new BlockClock(chain, period);
    }

    private void tick() {
        synchronized (mining) {
            if (paused) {
                return;
            }
            try {
                chain.mine(1);
            } catch (RuntimeException e) {
                // An exception out of a periodic task cancels every later run, and the chain would stop for good.
                if (!failureReported) {
                    failureReported = true;
                    System.err.println("block clock: mining a block failed; it keeps trying every period");
                    e.printStackTrace();
                }
            }
        }
    }

    /** Stops making blocks; returns once a block being mined when called is done. */
    public void pause() {
        synchronized (mining) {
            paused = true;
        }
    }

    public void resume() {
        synchronized (mining) {
            paused = false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        ticks.shutdownNow();
        ticks.awaitTermination(10, TimeUnit.SECONDS);
    }
}
