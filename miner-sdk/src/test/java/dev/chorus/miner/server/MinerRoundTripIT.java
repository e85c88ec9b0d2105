package dev.chorus.miner.server;

import dev.chorus.chain.Neuron;
import dev.chorus.miner.client.HttpMinerClient;
import dev.chorus.miner.client.HttpMinerClientOptions;
import dev.chorus.miner.client.MinerAnswer;
import dev.chorus.miner.protocol.Hotkey;
import dev.chorus.miner.protocol.QueryRequest;
import dev.chorus.miner.testing.RecordingMiner;
import dev.chorus.miner.testing.SubnetFixture;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A query signed for another hotkey than the miner's; the answered round trip is in LocalValidatorIT. */
class MinerRoundTripIT {

    private static final Hotkey VALIDATOR = Hotkey.random();
    private static final Hotkey MINER = Hotkey.random();
    private static Vertx vertx;
    private static MinerServer server;
    private static HttpMinerClient client;
    private static Neuron minerNeuron;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        SubnetFixture subnet = new SubnetFixture();
        subnet.validator(VALIDATOR, 1_000);
        Neuron registered = subnet.miner(MINER, 1);
        server = MinerServer.builder().vertx(vertx).hotkey(MINER).netuid(SubnetFixture.NETUID)
                .metagraph(subnet::metagraph).port(0).miner(new RecordingMiner()).start().await();
        minerNeuron = SubnetFixture.servingOn(registered, server.port());
        client = new HttpMinerClient(vertx, VALIDATOR, HttpMinerClientOptions.defaults());
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close().await();
        vertx.close().await();
    }

    @Test
    void queryForAnotherHotkeyIsRefusedAsMisdirected() {
        Neuron impostor = new Neuron(minerNeuron.uid(), Hotkey.random().address(), minerNeuron.coldkey(),
                minerNeuron.stake(), minerNeuron.axon(), false, true, 0, 0, 0, 0, 0, 0, minerNeuron.emission());
        QueryRequest query = QueryRequest.qa(UUID.randomUUID().toString(), SubnetFixture.NETUID, "hello",
                System.currentTimeMillis() + 5_000);

        MinerAnswer answer = client.query(impostor, query).await();

        assertThat(answer).isInstanceOf(MinerAnswer.Failed.class);
        MinerAnswer.Failed failed = (MinerAnswer.Failed) answer;
        assertThat(failed.failure()).isEqualTo(MinerAnswer.Failure.HTTP_STATUS);
        assertThat(failed.detail()).startsWith("421 WRONG_RECEIVER");
    }
}
