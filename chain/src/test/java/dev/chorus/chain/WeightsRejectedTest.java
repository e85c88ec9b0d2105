package dev.chorus.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.chain.WeightsRejected.Reason;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeightsRejectedTest {

    private static final String SIGNER = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

    @Test
    void aNodesRefusalIsItsOwnReasonAndTheOperatorReadsTheNodesWords() {
        TransactionRejected refused = TransactionRejected.refusedByNode("setWeights on netuid 1", SIGNER, -32003,
                "Insufficient funds for gas * price + value");

        WeightsRejected rejected = new WeightsRejected(Reason.of(refused.errorName(), refused.arguments().toString()), refused);

        assertThat(rejected.reason()).isEqualTo(Reason.NODE_REFUSED);
        assertThat(rejected.getMessage()).isEqualTo(refused.getMessage());
        assertThat(rejected.operatorMessage()).isEqualTo(refused.getMessage()).contains("send funds to " + SIGNER);
    }

    @Test
    void anUnlistedReasonCarriesTheChainsErrorWithItsArguments() {
        TransactionRejected reverted = new TransactionRejected("setWeights on netuid 1", "Panic", List.of(17), "0xabc");

        WeightsRejected rejected = new WeightsRejected(Reason.of(reverted.errorName(), "Panic [17]"), reverted);

        assertThat(rejected.reason()).isEqualTo(Reason.OTHER);
        assertThat(rejected.operatorMessage()).isEqualTo("the chain refused the weights for another reason: setWeights on"
                + " netuid 1 was rejected by the chain: Panic[17] (tx 0xabc)");
    }

    @Test
    void aListedReasonKeepsItsExplanationAndTheChainsErrorName() {
        TransactionRejected reverted = new TransactionRejected("setWeights on netuid 1", "SettingWeightsTooFast", List.of(), "0xabc");

        WeightsRejected rejected = new WeightsRejected(Reason.of(reverted.errorName(), null), reverted);

        assertThat(rejected.reason()).isEqualTo(Reason.RATE_LIMITED);
        assertThat(rejected.operatorMessage()).isEqualTo("weights were set too recently; wait weights_rate_limit blocks"
                + " (chain error SettingWeightsTooFast, tx 0xabc)");
    }
}
