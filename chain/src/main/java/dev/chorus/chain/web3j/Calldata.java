package dev.chorus.chain.web3j;

import java.util.Arrays;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/** ABI call data built by hand from a canonical signature such as {@code setWeights(uint16,uint16[],uint16[],uint64)}. */
final class Calldata {

    private Calldata() {
    }

    static String selector(String signature) {
        return Numeric.toHexString(Hash.sha3(signature.getBytes(java.nio.charset.StandardCharsets.US_ASCII))).substring(0, 10);
    }

    @SuppressWarnings("rawtypes")
    static String encode(String signature, Type... arguments) {
        return encode(signature, Arrays.asList(arguments));
    }

    @SuppressWarnings("rawtypes")
    static String encode(String signature, List<Type> arguments) {
        return selector(signature) + FunctionEncoder.encodeConstructor(arguments);
    }
}
