package dev.chorus.chain.web3j;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.chain.Hyperparameters;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The compiled contract keeps the precompiles' selectors (spec §8) and every signature the client encodes. */
class ContractAbiTest {

    private final ContractArtifact subnet = ContractArtifact.subnet();

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "0x34af16d6|setWeights(uint16,uint16[],uint16[],uint64)",
            "0xa5077557|commitWeights(uint16,bytes32)",
            "0x66ba946f|revealWeights(uint16,uint16[],uint16[],uint16[],uint64)",
            "0x4054ecca|burnedRegister(uint16,bytes32)",
            "0xe20ac82f|serveAxon(uint16,uint32,uint128,uint16,uint8,uint8,uint8,uint8)",
            "0x1fc9b141|addStake(bytes32,uint256,uint256)",
            "0x7d691e30|removeStake(bytes32,uint256,uint256)",
            "0x1f193572|getUidCount(uint16)",
            "0xe7c7c4b5|getStake(uint16,uint16)",
            "0x260ea334|getRank(uint16,uint16)",
            "0x20028c19|getTrust(uint16,uint16)",
            "0x2c4b6bff|getConsensus(uint16,uint16)",
            "0xd1e44450|getIncentive(uint16,uint16)",
            "0x82da0b5d|getDividends(uint16,uint16)",
            "0xe5810e5c|getEmission(uint16,uint16)",
            "0x2c54e2b3|getVtrust(uint16,uint16)",
            "0x58dd9945|getValidatorStatus(uint16,uint16)",
            "0x22553aa2|getLastUpdate(uint16,uint16)",
            "0xdc50cca9|getIsActive(uint16,uint16)",
            "0x93afb79e|getAxon(uint16,uint16)",
            "0x3adc89da|getHotkey(uint16,uint16)",
            "0xa1148287|getColdkey(uint16,uint16)"})
    void keepsThePrecompileSelector(String selector, String signature) {
        assertThat(Calldata.selector(signature)).isEqualTo(selector);
        assertThat(subnet.signatures("function")).contains(signature);
    }

    /** Anvil runs here with the limit off, so nothing else would notice a contract that no real chain would take. */
    @ParameterizedTest
    @ValueSource(strings = {"Subnet", "YumaEpoch", "EmissionToken"})
    void fitsUnderTheContractSizeLimitOfRealChains(String name) throws IOException {
        try (InputStream in = ContractAbiTest.class.getResourceAsStream("/solidity/" + name + ".json")) {
            String code = new ObjectMapper().readTree(in).get("deployedBytecode").asText().replaceFirst("^0x", "");
            assertThat(code.length() / 2).as("deployed bytes of %s (EIP-170: 24,576 at most)", name)
                    .isBetween(1, 24_576);
        }
    }

    @Test
    void hasEveryFunctionTheClientEncodes() {
        String tuple = "(" + String.join(",", Hyperparameters.abiTypes()) + ")";
        assertThat(subnet.signatures("function")).contains(
                "createSubnet(" + tuple + ")", "setHyperparameters(uint16," + tuple + ")", "getHyperparameters(uint16)",
                "updateValidatorPermits(uint16)", "getMetagraph(uint16)", "getWeights(uint16,uint16)", "getBonds(uint16,uint16)",
                "uidOf(uint16,address)", "getBlockAtRegistration(uint16,uint16)", "emissionToken()", "networkLockCost()",
                "setNetworkLockCost(uint64)", "deployer()");
        assertThat(ContractArtifact.load("EmissionToken").signatures("function")).contains("balanceOf(address)");
    }

    /** A log is found by its topic, the hash of the event's signature: one field more and the client finds none. */
    @Test
    void declaresEveryEventTheClientDecodes() {
        assertThat(subnet.signatures("event")).contains(Web3jSubnetChain.SUBNET_CREATED_EVENT, Web3jSubnetChain.NEURON_REGISTERED_EVENT);
    }

    @Test
    void namesItsWeightErrorsAsSubtensorDoes() {
        List<String> errors = subnet.signatures("error");
        for (dev.chorus.chain.WeightsRejected.Reason reason : dev.chorus.chain.WeightsRejected.Reason.values()) {
            if (reason != dev.chorus.chain.WeightsRejected.Reason.OTHER && reason != dev.chorus.chain.WeightsRejected.Reason.NODE_REFUSED) {
                assertThat(errors).contains(reason.errorName() + "()");
            }
        }
    }
}
