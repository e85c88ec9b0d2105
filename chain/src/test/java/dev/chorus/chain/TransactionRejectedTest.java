package dev.chorus.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TransactionRejectedTest {

    private static final String SIGNER = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

    @Test
    void aNodeShortOfFundsNamesTheSignerToFundAndKeepsTheErrorCallersMatch() {
        TransactionRejected rejected = TransactionRejected.refusedByNode("burnedRegister on netuid 1", SIGNER, -32003,
                "Insufficient funds for gas * price + value");

        assertThat(rejected.getMessage()).isEqualTo("burnedRegister on netuid 1 was refused by the node, nothing was"
                + " spent: the signer " + SIGNER + " cannot pay for the gas and value (Insufficient funds for gas * price"
                + " + value); send funds to " + SIGNER + " or sign with a funded key (on a local chain, `chorus chain up`"
                + " prints funded dev keys)");
        assertThat(rejected.errorName()).isEqualTo("NodeRefused");
        assertThat(rejected.arguments()).containsExactly("-32003: Insufficient funds for gas * price + value");
        assertThat(rejected.txHash()).isEmpty();
    }

    @Test
    void anyOtherRefusalIsTheNodesWordsWithItsCodeNotAListsText() {
        TransactionRejected rejected = TransactionRejected.refusedByNode("addStake on netuid 1", SIGNER, -32000,
                "max fee per gas less than block base fee");

        assertThat(rejected.getMessage()).isEqualTo("addStake on netuid 1 was refused by the node, nothing was spent:"
                + " max fee per gas less than block base fee (JSON-RPC error -32000)");
        assertThat(rejected.arguments()).isEqualTo(List.of("-32000: max fee per gas less than block base fee"));
    }
}
