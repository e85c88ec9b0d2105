package dev.chorus.validator;

import dev.chorus.chain.ChainException;
import dev.chorus.config.ChainSettings;
import dev.chorus.config.ConfigLoader;
import dev.chorus.config.ValidatorConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ChainClientsTest {

    private static ChainSettings at(String rpcUrl) {
        return ConfigLoader.load(ValidatorConfig.defaults(), Optional.empty(), Map.of(), Map.of("chain.rpc_url", rpcUrl,
                "chain.contract_address", "0x5FbDB2315678afecb367f032d93F642f64180aa3")).chain();
    }

    @Test
    void anUnreachableNodeIsNamedMaskedWithItsCauseOnceAndWhatToCheck() {
        ChainException failure = new ChainException("eth_call failed after 4 attempts: Failed to connect to /10.0.0.5:8545",
                new ConnectException("Failed to connect to /10.0.0.5:8545"));

        String reason = ChainClients.chainProblem(at("https://10.0.0.5:8545/v3/SECRET"), failure);

        assertThat(reason).isEqualTo("chain unreachable at https://10.0.0.5:8545/...: eth_call failed after 4 attempts:"
                + " Failed to connect to /10.0.0.5:8545; check chain.rpc_url and that the node is running");
    }

    @Test
    void anHttpErrorIsAnAnswerWhoseOwnAdviceStands() {
        ChainException failure = new ChainException("eth_call failed: the node answered HTTP 404; check chain.rpc_url"
                + " (and any API key in it)", new IOException("Invalid response received: 404"));

        String reason = ChainClients.chainProblem(at("http://127.0.0.1:8545"), failure);

        assertThat(reason).isEqualTo("chain call failed at http://127.0.0.1:8545: " + failure.getMessage());
    }

    @Test
    void aNodeThatAnsweredAndRefusedIsNotCalledUnreachable() {
        ChainException failure = new ChainException("no Subnet contract at 0x5fbd... on http://127.0.0.1:8545; deploy one first");

        String reason = ChainClients.chainProblem(at("http://127.0.0.1:8545"), failure);

        assertThat(reason).isEqualTo("chain call failed at http://127.0.0.1:8545: " + failure.getMessage());
    }
}
