package dev.chorus.miner.server;

import dev.chorus.config.MinerServerSettings;
import dev.chorus.miner.protocol.Hotkey;
import dev.chorus.miner.testing.SubnetFixture;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

/** The builder's calls combine whatever their order. */
class MinerServerBuilderIT {

    /** A port set before the settings is not lost to the settings' own port. */
    @Test
    void aPortGivenBeforeTheSettingsIsThePortListenedOn() throws IOException {
        int free;
        try (ServerSocket probe = new ServerSocket(0)) {
            free = probe.getLocalPort();
        }
        Hotkey miner = Hotkey.random();
        SubnetFixture subnet = new SubnetFixture();
        subnet.miner(miner, free);
        MinerServer server = MinerServer.builder().hotkey(miner).netuid(SubnetFixture.NETUID).metagraph(subnet::metagraph)
                .port(free).options(MinerServerSettings.defaults()).miner(query -> "an answer").start().await();
        try {
            assertThat(server.port()).isEqualTo(free).isNotEqualTo(MinerServerSettings.defaults().port());
        } finally {
            server.close().await();
        }
    }
}
