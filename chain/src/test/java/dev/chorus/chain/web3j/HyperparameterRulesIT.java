package dev.chorus.chain.web3j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.chain.Hyperparameters;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint16;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;

/**
 * The contract's own checks of a subnet's settings, reached with values the Java {@link Hyperparameters} would refuse
 * before sending: another client of the contract is held to the same rules.
 */
class HyperparameterRulesIT {

    @RegisterExtension
    static final ChainFixture fixture = new ChainFixture(1);

    private static final RevertDecoder ERRORS = new RevertDecoder(ContractArtifact.subnet().abi());
    @Test
    void theDefaultsPass() throws IOException {
        assertThat(validate(Web3jSubnetChain.encode(Hyperparameters.defaults())).isReverted()).isFalse();
    }

    /** 2^63 - 1, the largest a client reads back, passes in every wide setting. */
    @Test
    void theLargestReadableValuesPass() throws IOException {
        List<String> names = new ArrayList<>(Hyperparameters.defaults().asMap().keySet());
        List<Type> values = new ArrayList<>(Web3jSubnetChain.encode(Hyperparameters.defaults()));
        for (String field : List.of("activityCutoff", "weightsRateLimit", "weightsVersionKey", "immunityPeriod", "burn",
                "emissionPerEpoch", "stakeThreshold", "servingRateLimit")) {
            values.set(names.indexOf(field), new Uint64(BigInteger.valueOf(Long.MAX_VALUE)));
        }
        assertThat(validate(values).isReverted()).isFalse();
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "maxAllowedUids, 0",
            "maxAllowedValidators, 65535",
            "bondsMovingAverage, 975001",
            "revealPeriod, 0",
            "revealPeriod, 101",
            "alphaLow, 0",
            "alphaLow, 1637",
            "alphaLow, 58983",
            "activityCutoff, 0",
            // above 2^63 - 1, which clients could not read back
            "activityCutoff, 9223372036854775808",
            "weightsRateLimit, 18446744073709551615",
            "weightsVersionKey, 9223372036854775808",
            "immunityPeriod, 9223372036854775808",
            "burn, 9223372036854775808",
            "emissionPerEpoch, 9223372036854775808",
            "stakeThreshold, 9223372036854775808",
            "servingRateLimit, 9223372036854775808"})
    void aValueOutsideItsRuleIsRefusedByName(String field, BigInteger value) throws IOException {
        List<String> names = new ArrayList<>(Hyperparameters.defaults().asMap().keySet());
        int index = names.indexOf(field);
        assertThat(index).as(field + " is a hyperparameter").isNotNegative();
        List<Type> values = new ArrayList<>(Web3jSubnetChain.encode(Hyperparameters.defaults()));
        String type = Hyperparameters.abiTypes().get(index);
        values.set(index, type.equals("uint16") ? new Uint16(value) : new Uint64(value));

        EthCall call = validate(values);

        assertThat(call.isReverted()).as("the contract refuses " + field + " = " + value).isTrue();
        RevertDecoder.Revert revert = ERRORS.decode(call.getError().getData().replace("\"", ""));
        assertThat(revert.name()).isEqualTo("InvalidHyperparameter");
        assertThat(revert.arguments()).containsExactly(field);
    }

    private static EthCall validate(List<Type> hyperparameters) throws IOException {
        String data = Calldata.encode("validateHyperparameters(" + Web3jSubnetChain.HYPERPARAMETERS_TUPLE + ")",
                hyperparameters);
        return fixture.node().ethCall(Transaction.createEthCallTransaction(fixture.chain.devAccount(0).credentials().getAddress(),
                fixture.contract, data), DefaultBlockParameterName.LATEST).send();
    }
}
