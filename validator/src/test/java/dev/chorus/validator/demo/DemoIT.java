package dev.chorus.validator.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.chain.local.DevAccount;
import dev.chorus.chain.local.LocalChain;
import dev.chorus.cli.ChorusCommand;
import dev.chorus.validator.hardening.LogSecretScan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code chorus demo --json} in-process: the whole subnet, who the chain ends up paying, and no private key of the run
 * in anything it logged or printed.
 */
class DemoIT {

    @Test
    void honestMinersOutearnEveryAdversaryAndNothingIsLeftRunning(@TempDir Path state) throws Exception {
        CommandLine cli = ChorusCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit;
        String logged;
        int events;
        try (LogSecretScan logs = LogSecretScan.start()) {
            exit = cli.execute("demo", "--json", "--state-dir", state.toString());
            logged = logs.text();
            events = logs.events();
        }
        assertThat(exit).as("exit status; stderr: %s", err).isZero();

        JsonNode report = new ObjectMapper().readTree(out.toString());
        // The demo funds the owner, each validator and each miner from Anvil's dev accounts, in that order.
        List<String> keys = LocalChain.deriveDevAccounts(1 + report.path("validators").size() + DemoMiners.LINEUP.size())
                .stream().map(DevAccount::privateKey).toList();
        assertThat(report.path("validators").size()).as("validators in the report").isPositive();
        assertThat(events).as("log events of the demo").isGreaterThan(20);
        assertThat(LogSecretScan.leaked(logged + out + err, keys)).as("dev accounts whose private key the demo logged or printed")
                .isEmpty();
        System.out.printf("secrets: demo, %d log events and %d characters of output scanned for %d dev private keys, none found%n",
                events, out.toString().length() + err.toString().length(), keys.size());
        assertThat(report.path("epochs").asInt()).isEqualTo(3);
        List<JsonNode> honest = new ArrayList<>();
        List<JsonNode> adversarial = new ArrayList<>();
        for (JsonNode miner : report.path("miners")) {
            assertThat(miner.has("uid") && miner.has("hotkey") && miner.has("score") && miner.has("weights")).isTrue();
            assertThat(miner.path("weights").size()).isEqualTo(2);
            (miner.path("honest").asBoolean() ? honest : adversarial).add(miner);
        }
        assertThat(honest).hasSize(4);
        assertThat(adversarial).hasSize(6);

        long bestAdversary = adversarial.stream().mapToLong(m -> m.path("emission").asLong()).max().orElseThrow();
        for (JsonNode miner : honest) {
            assertThat(miner.path("emission").asLong()).as("emission of %s", miner.path("kind").asText())
                    .isGreaterThan(bestAdversary);
        }
        JsonNode best = honest.stream().filter(m -> m.path("kind").asText().equals("kb-best")).findFirst().orElseThrow();
        assertThat(honest).allSatisfy(m -> assertThat(best.path("emission").asLong()).isGreaterThanOrEqualTo(m.path("emission").asLong()));

        assertThat(onChainWeight(report, "copycat")).as("on-chain weight of the copycat, whose every answer is kb-good's,"
                + " given later").isZero();
        double offTopicWeight = onChainWeight(report, "off-topic");
        for (JsonNode miner : honest) {
            assertThat(weight(miner)).as("on-chain weight of %s over off-topic", miner.path("kind").asText())
                    .isGreaterThan(offTopicWeight);
        }
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList())
                .as("processes the demo left behind").isEmpty();
    }

    private static double onChainWeight(JsonNode report, String kind) {
        for (JsonNode miner : report.path("miners")) {
            if (miner.path("kind").asText().equals(kind)) {
                return weight(miner);
            }
        }
        throw new AssertionError("no " + kind + " miner in the report");
    }

    private static double weight(JsonNode miner) {
        double sum = 0;
        for (JsonNode w : miner.path("weights")) {
            sum += w.asDouble();
        }
        return sum;
    }
}
