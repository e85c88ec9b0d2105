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
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

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
            "activityCutoff, 0"})
    void aValueOutsideItsRuleIsRefusedByName(String field, long value) throws IOException {
        List<String> names = new ArrayList<>(Hyperparameters.defaults().asMap().keySet());
        int index = names.indexOf(field);
        assertThat(index).as(field + " is a hyperparameter").isNotNegative();
        List<Type> values = new ArrayList<>(Web3jSubnetChain.encode(Hyperparameters.defaults()));
        String type = Hyperparameters.abiTypes().get(index);
        values.set(index, type.equals("uint16") ? new Uint16(value) : new Uint64(BigInteger.valueOf(value)));

        EthCall call = validate(values);

        assertThat(call.isReverted()).as("the contract refuses " + field + " = " + value).isTrue();
        RevertDecoder.Revert revert = ERRORS.decode(call.getError().getData().replace("\"", ""));
        assertThat(revert.name()).isEqualTo("InvalidHyperparameter");
        assertThat(revert.arguments()).containsExactly(field);
    }

    /**
     * A setting above 2^63 - 1, which only a raw call can store, is read as the largest long: for a rate limit, a period
     * or an amount in rao both mean never, and a negative long would make every client's read of the settings fail.
     */
    @Test
    void aSettingAboveTheLargestLongIsReadAsTheLargestLong() throws IOException, TransactionException {
        int netuid = fixture.owner().createSubnet(Hyperparameters.localDevelopment(10));
        List<String> names = new ArrayList<>(Hyperparameters.defaults().asMap().keySet());
        List<Type> arguments = new ArrayList<>();
        arguments.add(new Uint16(netuid));
        List<Type> values = new ArrayList<>(Web3jSubnetChain.encode(Hyperparameters.localDevelopment(10)));
        values.set(names.indexOf("weightsRateLimit"), new Uint64(BigInteger.TWO.pow(64).subtract(BigInteger.ONE)));
        arguments.addAll(values);
        String data = Calldata.encode("setHyperparameters(uint16," + Web3jSubnetChain.HYPERPARAMETERS_TUPLE + ")", arguments);
        EthSendTransaction sent = fixture.node().ethSendTransaction(Transaction.createFunctionCallTransaction(
                fixture.chain.devAccount(0).credentials().getAddress(), null, null, BigInteger.valueOf(1_000_000),
                fixture.contract, data)).send();
        assertThat(sent.getError()).as("the node's answer to the raw call").isNull();
        TransactionReceipt receipt = new PollingTransactionReceiptProcessor(fixture.node(), 50, 200)
                .waitForTransactionReceipt(sent.getTransactionHash());
        assertThat(receipt.isStatusOK()).as("the raw call stored it").isTrue();

        Hyperparameters read = fixture.owner().hyperparameters(netuid);

        assertThat(read.weightsRateLimit()).isEqualTo(Long.MAX_VALUE);
        assertThat(read.with("weightsRateLimit", "0")).isEqualTo(Hyperparameters.localDevelopment(10).with("weightsRateLimit", "0"));
    }

    private static EthCall validate(List<Type> hyperparameters) throws IOException {
        String data = Calldata.encode("validateHyperparameters(" + Web3jSubnetChain.HYPERPARAMETERS_TUPLE + ")",
                hyperparameters);
        return fixture.node().ethCall(Transaction.createEthCallTransaction(fixture.chain.devAccount(0).credentials().getAddress(),
                fixture.contract, data), DefaultBlockParameterName.LATEST).send();
    }
}
