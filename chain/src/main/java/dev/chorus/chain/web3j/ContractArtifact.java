package dev.chorus.chain.web3j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A contract compiled by the build (target/classes/solidity/NAME.json): its ABI and creation bytecode.
 *
 * @param abi      the ABI entries
 * @param bytecode creation bytecode, 0x-prefixed
 */
public record ContractArtifact(String name, JsonNode abi, String bytecode) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Loads {@code /solidity/<name>.json} from the class path. */
    public static ContractArtifact load(String name) {
        String resource = "/solidity/" + name + ".json";
        try (InputStream in = ContractArtifact.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("contract artifact " + resource + " is missing from the class path; "
                        + "build the chain module (mvn -pl chain -am package) so Solidity gets compiled");
            }
            JsonNode json = JSON.readTree(in);
            return new ContractArtifact(name, json.get("abi"), json.get("bytecode").asText());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read contract artifact " + resource + ": " + e.getMessage(), e);
        }
    }

    public static ContractArtifact subnet() {
        return load("Subnet");
    }

    /** Canonical signatures ({@code name(type,...)}, tuples expanded) of the entries of one kind: function, error, event. */
    public List<String> signatures(String kind) {
        List<String> signatures = new ArrayList<>();
        for (JsonNode entry : abi) {
            if (kind.equals(entry.path("type").asText())) {
                signatures.add(entry.get("name").asText() + "(" + String.join(",", types(entry.get("inputs"))) + ")");
            }
        }
        return signatures;
    }

    static List<String> types(JsonNode parameters) {
        List<String> types = new ArrayList<>();
        for (JsonNode parameter : parameters) {
            String type = parameter.get("type").asText();
            if (type.startsWith("tuple")) {
                type = "(" + String.join(",", types(parameter.get("components"))) + ")" + type.substring("tuple".length());
            }
            types.add(type);
        }
        return types;
    }
}
