package dev.chorus.chain.web3j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.utils.Numeric;

/** Vectors computed by hand (byte layout) and with Python's hashlib.blake2b(digest_size=32) (hashes). */
class BittensorFlavourTest {

    private static final String DEV0 = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
    private static final String DEV0_ACCOUNT = "c4518fa0ed143e016e4a1410193704924b890de8f854b94c7a6037651ec65dd0";
    private final ChainFlavour.Bittensor bittensor = new ChainFlavour.Bittensor();

    @Test
    void hotkeyIsBlake2bOfEvmPrefixAndAddress() {
        assertThat(Numeric.toHexStringNoPrefix(bittensor.account(DEV0))).isEqualTo(DEV0_ACCOUNT);
    }

    @Test
    void commitPreimageIsTheScaleEncodedRevealTuple() {
        byte[] preimage = ChainFlavour.Bittensor.commitPreimage(Numeric.hexStringToByteArray(DEV0_ACCOUNT), 7,
                List.of(0, 1, 2), List.of(65535, 32768, 1), List.of(11, 22), 10_002_000L);
        assertThat(Numeric.toHexStringNoPrefix(preimage)).isEqualTo(DEV0_ACCOUNT
                + "0700"                     // netuid 7, u16 LE
                + "0c" + "0000" + "0100" + "0200" // compact(3) = 3 << 2, then uids
                + "0c" + "ffff" + "0080" + "0100" // values
                + "08" + "0b00" + "1600"     // salt
                + "509e980000000000");      // version key 10002000, u64 LE
    }

    @Test
    void commitHashIsBlake2bOfThePreimage() {
        byte[] hash = bittensor.commitHash(DEV0, 7, List.of(0, 1, 2), List.of(65535, 32768, 1), List.of(11, 22), 10_002_000L);
        assertThat(Numeric.toHexStringNoPrefix(hash)).isEqualTo("d14a24dfc5ccad5133285607264b49afa1ea56bc137d3ab49161ab64e76b53cc");
    }

    @Test
    void compactLengthsCrossTheirModeBoundaries() {
        assertThat(compact(0)).isEqualTo("00");
        assertThat(compact(1)).isEqualTo("04");
        assertThat(compact(63)).isEqualTo("fc");
        assertThat(compact(64)).isEqualTo("0101");
        assertThat(compact(16383)).isEqualTo("fdff");
        assertThat(compact(16384)).isEqualTo("02000100");
    }

    @Test
    void targetsThePrecompileAddresses() {
        assertThat(bittensor.neuronAddress()).isEqualTo("0x0000000000000000000000000000000000000804");
        assertThat(bittensor.metagraphAddress()).isEqualTo("0x0000000000000000000000000000000000000802");
    }

    private static String compact(int value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChainFlavour.Bittensor.writeCompact(out, value);
        return Numeric.toHexStringNoPrefix(out.toByteArray());
    }
}
