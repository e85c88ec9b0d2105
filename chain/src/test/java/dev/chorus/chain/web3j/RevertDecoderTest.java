package dev.chorus.chain.web3j;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;

class RevertDecoderTest {

    private final RevertDecoder decoder = new RevertDecoder(ContractArtifact.subnet().abi());

    @Test
    void decodesTheContractsCustomErrorsWithTheirArguments() {
        assertThat(decoder.decode(Calldata.selector("SettingWeightsTooFast()")).name()).isEqualTo("SettingWeightsTooFast");
        String data = Calldata.selector("IncorrectBurnAmount(uint256,uint256)")
                + FunctionEncoder.encodeConstructor(List.of(new Uint256(1_000_000_000_000_000_000L), new Uint256(5)));
        RevertDecoder.Revert revert = decoder.decode(data);
        assertThat(revert.name()).isEqualTo("IncorrectBurnAmount");
        assertThat(revert.arguments()).containsExactly(BigInteger.valueOf(1_000_000_000_000_000_000L), BigInteger.valueOf(5));
    }

    @Test
    void decodesPlainRevertsAndPanics() {
        String error = Calldata.selector("Error(string)") + FunctionEncoder.encodeConstructor(List.of(new Utf8String("hotkey not found")));
        assertThat(decoder.decode(error)).isEqualTo(new RevertDecoder.Revert("Error", List.of("hotkey not found")));
        String panic = Calldata.selector("Panic(uint256)") + FunctionEncoder.encodeConstructor(List.of(new Uint256(0x11)));
        assertThat(decoder.decode(panic)).isEqualTo(new RevertDecoder.Revert("Panic", List.of(BigInteger.valueOf(0x11))));
    }

    @Test
    void unknownOrEmptyRevertDataIsNamedAsSuch() {
        assertThat(decoder.decode("0x").name()).isEqualTo("UnknownRevert");
        assertThat(decoder.decode("0xdeadbeef").arguments()).containsExactly("0xdeadbeef");
    }
}
