package dev.chorus.miner.server;

import dev.chorus.miner.protocol.Hotkey;
import dev.chorus.miner.testing.SubnetFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server built without a Vert.x creates its own, as the README's miner does, and must close it whether its start
 * fails or it is closed: Vert.x threads are not daemons, so one left running keeps the miner's process alive. Each
 * case runs in a JVM of its own, where a thread left running shows as a process that does not exit.
 */
class OwnVertxIT {

    @TempDir
    Path dir;

    @Test
    void aMinerWhosePortIsTakenExitsWithTheReason() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            MinerProcess exit = MinerProcess.run(dir, MinerOnPort.class, Map.of(), Integer.toString(taken.getLocalPort()));
            assertThat(exit.exited()).as("the miner process exited after its failed start; its output:%n%s", exit.output())
                    .isTrue();
            assertThat(exit.status()).isNotZero();
            assertThat(exit.output()).contains("cannot listen on 0.0.0.0:" + taken.getLocalPort())
                    .contains(".port(...) on the MinerServer builder");
        }
    }

    @Test
    void aMinerThatClosesItsServerExits() throws Exception {
        MinerProcess exit = MinerProcess.run(dir, MinerOnPort.class, Map.of(), "0");
        assertThat(exit.exited()).as("the miner process exited after closing its server; its output:%n%s", exit.output())
                .isTrue();
        assertThat(exit.status()).as(exit.output()).isZero();
        assertThat(exit.output()).contains("closed");
    }

    /** The README's miner, less the chain: no Vert.x given, the default host, the port from the builder. */
    static final class MinerOnPort {
        public static void main(String[] args) {
            Hotkey miner = Hotkey.random();
            int port = Integer.parseInt(args[0]);
            SubnetFixture subnet = new SubnetFixture();
            subnet.miner(miner, port);
            MinerServer server = MinerServer.builder().hotkey(miner).netuid(SubnetFixture.NETUID).port(port)
                    .metagraph(subnet::metagraph).miner(query -> "unused").start().await();
            server.close().await();
            System.out.println("closed");
        }
    }
}
