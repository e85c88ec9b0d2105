package dev.chorus.chain.web3j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.config.ChainSettings;
import java.math.BigInteger;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClientOptionsTest {

    @Test
    void operatorChainSettingsBecomeClientOptions() {
        ChainSettings d = ChainSettings.defaults();
        ChainSettings settings = new ChainSettings(d.rpcUrl(), d.contractAddress(), d.netuid(), 31337, Duration.ofSeconds(4),
                Duration.ofSeconds(30), 2, Duration.ofMillis(300), d.metagraphRefresh(), Duration.ofMillis(40), 10, 2_000_000_000L,
                50_000_000_000L);
        ClientOptions options = ClientOptions.of(settings);
        assertThat(options.expectedChainId()).hasValue(31337);
        assertThat(options.rpcAttempts()).isEqualTo(3);
        assertThat(options.httpTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(options.receiptPoll()).isEqualTo(Duration.ofMillis(40));
        assertThat(options.maxPriorityFee()).hasValue(BigInteger.valueOf(2_000_000_000L));
        assertThat(options.gasMarginPercent()).isEqualTo(10);
        assertThat(options.maxFeePerGas()).hasValue(BigInteger.valueOf(50_000_000_000L));
        assertThat(ClientOptions.of(d).maxFeePerGas()).as("1,000 gwei by default").hasValue(BigInteger.TEN.pow(12));
        assertThat(ClientOptions.of(d).expectedChainId()).isEmpty();
        assertThat(ClientOptions.of(d).maxPriorityFee()).isEmpty();
    }

    @Test
    void theLongestTransactionCoversEveryAttemptBackoffAndReceiptWaitOfEachSend() {
        ClientOptions options = new ClientOptions(java.util.OptionalLong.empty(), Duration.ofSeconds(4), Duration.ofSeconds(30),
                Duration.ofMillis(40), 3, Duration.ofMillis(300), java.util.Optional.empty(), 25, java.util.Optional.empty());
        // per request: 3 attempts of 4 s, each followed by a backoff capped at 4 s; 17 requests and 30 s per send; 3 sends
        assertThat(options.longestTransaction()).isEqualTo(Duration.ofSeconds((17 * 3 * 8 + 30) * 3));
    }
}
