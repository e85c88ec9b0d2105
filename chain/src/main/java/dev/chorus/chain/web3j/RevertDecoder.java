package dev.chorus.chain.web3j;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Type;

/**
 * Turns revert data into an error name and arguments: the contract's custom errors from its ABI,
 * Solidity's {@code Error(string)} and {@code Panic(uint256)}.
 */
final class RevertDecoder {

    /** A decoded revert: the error's name and its argument values (BigInteger, String, ...). */
    record Revert(String name, List<Object> arguments) {
    }

    private record ErrorType(String name, List<String> types) {
    }

    private final Map<String, ErrorType> bySelector = new HashMap<>();

    RevertDecoder(JsonNode abi) {
        register(new ErrorType("Error", List.of("string")));
        register(new ErrorType("Panic", List.of("uint256")));
        if (abi != null) {
            for (JsonNode entry : abi) {
                if ("error".equals(entry.path("type").asText())) {
                    register(new ErrorType(entry.get("name").asText(), ContractArtifact.types(entry.get("inputs"))));
                }
            }
        }
    }

    private void register(ErrorType error) {
        bySelector.put(Calldata.selector(error.name() + "(" + String.join(",", error.types()) + ")"), error);
    }

    /** The error name of a revert whose reason is not known: no data, or a selector outside the contract's ABI. */
    static final String UNKNOWN = "UnknownRevert";

    /** Decodes revert data ("0x" + selector + arguments); unknown or empty data gives a name saying so. */
    Revert decode(String data) {
        if (data == null || data.length() < 10) {
            return new Revert(UNKNOWN, List.of());
        }
        String hex = data.startsWith("0x") ? data : "0x" + data;
        ErrorType error = bySelector.get(hex.substring(0, 10).toLowerCase(java.util.Locale.ROOT));
        if (error == null) {
            return new Revert(UNKNOWN, List.of(hex.substring(0, 10)));
        }
        List<Object> arguments = new ArrayList<>();
        if (!error.types().isEmpty()) {
            List<TypeReference<Type>> references = new ArrayList<>();
            for (String type : error.types()) {
                try {
                    references.add(TypeReference.makeTypeReference(type));
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException("ABI type " + type + " of error " + error.name() + " is unknown to web3j", e);
                }
            }
            for (Type value : FunctionReturnDecoder.decode("0x" + hex.substring(10), references)) {
                arguments.add(value.getValue());
            }
        }
        return new Revert(error.name(), arguments);
    }
}
