package dev.chorus.cli;

import dev.chorus.chain.Neuron;
import dev.chorus.chain.local.DevAccount;
import dev.chorus.chain.local.LocalChain;
import dev.chorus.miner.client.HttpMinerClient;
import dev.chorus.miner.client.HttpMinerClientOptions;
import dev.chorus.miner.client.MinerAnswer;
import dev.chorus.miner.protocol.Hotkey;
import dev.chorus.miner.protocol.QueryRequest;
import dev.chorus.validator.hardening.LogSecretScan;
import dev.chorus.validator.testing.TestSubnet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code chorus miner --register} on a real Anvil: one command registers, announces the axon and answers. */
class MinerCommandIT {

    @Test
    void registersAnnouncesTheAxonAndAnswersTheValidatorsSignedQuery() throws Exception {
        try (TestSubnet subnet = TestSubnet.start(360, List.of())) {
            DevAccount minerAccount = LocalChain.deriveDevAccounts(4).get(3);
            subnet.chain.setBalance(minerAccount.address(), BigInteger.TEN.pow(21));
            StringWriter out = new StringWriter();
            Thread running = startMiner(subnet, minerAccount, out);
            try {
                awaitLine(out, "serving subnet", Duration.ofSeconds(60));
                assertThat(out.toString()).contains("registered as uid").contains("axon announced at 127.0.0.1:");

                Neuron miner = subnet.owner.metagraph(subnet.netuid).byHotkey(minerAccount.address()).orElseThrow();
                assertThat(miner.axon().isServing()).isTrue();
                HttpMinerClient client = new HttpMinerClient(subnet.vertx,
                        Hotkey.fromPrivateKey(subnet.validator.privateKey()), HttpMinerClientOptions.defaults());
                MinerAnswer answer = client.query(miner, QueryRequest.qa(UUID.randomUUID().toString(), subnet.netuid,
                        "What is the answer?", System.currentTimeMillis() + 5_000)).await();
                client.close();

                assertThat(answer).isInstanceOfSatisfying(MinerAnswer.Ok.class,
                        ok -> assertThat(ok.answer()).isEqualTo("Forty-two."));
            } finally {
                stop(running);
            }
        }
    }

    @Test
    void aMinerStartedWithAValidatorsKeyIsWarnedThatItWillNotBeQueried() throws Exception {
        try (TestSubnet subnet = TestSubnet.start(360, List.of()); LogSecretScan log = LogSecretScan.start()) {
            StringWriter out = new StringWriter();
            Thread running = startMiner(subnet, subnet.validator, out);
            try {
                awaitLine(out, "serving subnet", Duration.ofSeconds(60));

                assertThat(out.toString()).contains("already registered as uid");
                assertThat(log.text()).contains("hotkey " + subnet.validator.address().toLowerCase(Locale.ROOT)
                        + " holds a validator permit on subnet " + subnet.netuid,
                        "validators will not send it queries", "run the miner with an unstaked key of its own");
            } finally {
                stop(running);
            }
        }
    }

    /** {@code chorus miner --register} with a constant model, signing with {@code account}, on its own thread. */
    private static Thread startMiner(TestSubnet subnet, DevAccount account, StringWriter out) {
        MinerCommand command = new MinerCommand();
        command.env = Map.of("CHORUS_PRIVATE_KEY", account.privateKey());
        CommandLine commandLine = new CommandLine(command);
        commandLine.setOut(new PrintWriter(out, true));
        Thread running = new Thread(() -> commandLine.execute("--register",
                "--set", "chain.rpc_url=" + subnet.chain.rpcUrl(),
                "--set", "chain.contract_address=" + subnet.contract,
                "--set", "chain.netuid=" + subnet.netuid,
                "--set", "server.host=127.0.0.1", "--set", "server.port=0",
                "--set", "model.kind=constant", "--set", "model.constant_answer=Forty-two."), "miner-command");
        running.start();
        return running;
    }

    private static void stop(Thread running) throws InterruptedException {
        running.interrupt();
        running.join(10_000);
        assertThat(running.isAlive()).as("the command stops when interrupted").isFalse();
    }

    private static void awaitLine(StringWriter out, String text, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!out.toString().contains(text)) {
            assertThat(Instant.now()).as("waiting for '" + text + "'; output so far:\n" + out).isBefore(deadline);
            Thread.sleep(50);
        }
    }
}
