package dev.chorus.chain.web3j;

import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SigningKeyTest {

    /** Anvil's first dev key, and its address. */
    private static final String KEY = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    private static final String ADDRESS = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";

    @Test
    void aKeyMissingADigitIsRefusedWhereWeb3jWouldTakeItForAnotherAccount() {
        String copiedBadly = KEY.substring(1);
        assertThat(Credentials.create(copiedBadly).getAddress()).as("web3j alone").isNotEqualTo(ADDRESS);

        assertThatThrownBy(() -> SigningKey.parse(copiedBadly, "the environment variable HOTKEY"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the environment variable HOTKEY does not hold a private key: expected 64 hex digits,"
                        + " optionally prefixed with 0x; it holds 63; copy the whole key");
        String notHex = KEY.replace('a', 'g');
        assertThatThrownBy(() -> SigningKey.parse(notHex, "k")).hasMessageNotContaining(notHex)
                .hasMessageEndingWith("it holds characters other than hex digits");
        assertThatThrownBy(() -> SigningKey.parse(KEY + KEY, "k")).hasMessageEndingWith(
                "it holds 128, too many for a private key (a public key, or two values run together?)");
        assertThatThrownBy(() -> SigningKey.parse(ADDRESS, "k")).hasMessageEndingWith(
                "40 hex digits are an account's address, not its private key; give the key");
    }

    @Test
    void theKeyIsTakenWithOrWithout0xAndSurroundingWhiteSpace() {
        assertThat(SigningKey.parse(KEY, "k").getAddress()).isEqualTo(ADDRESS);
        assertThat(SigningKey.parse(" 0x" + KEY + "\n", "k").getAddress()).isEqualTo(ADDRESS);
    }

    @Test
    void zeroAndValuesFromTheCurveOrderOnAreNoKeys() {
        String order = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
        for (String key : new String[] {"0".repeat(64), order, "f".repeat(64)}) {
            assertThatThrownBy(() -> SigningKey.parse(key, "k")).as(key)
                    .hasMessageContaining("k does not hold a private key: as a number it must be at least 1 and below"
                            + " the secp256k1 curve order (0x" + order + ")");
        }
    }

    @Test
    void anUnsetVariableIsNamedWithWhatToDo() {
        String variable = "CHORUS_SIGNING_KEY_TEST_UNSET";
        assertThat(System.getenv(variable)).isNull();
        assertThatThrownBy(() -> SigningKey.fromEnvironment(variable))
                .hasMessage("no key: the environment variable " + variable + " is not set; export the 0x hex private"
                        + " key there");
    }
}
