package dev.chorus.cli.chain;

import dev.chorus.chain.web3j.ChainFlavour;
import dev.chorus.chain.web3j.ClientOptions;
import dev.chorus.chain.web3j.Web3jSubnetChain;
import dev.chorus.cli.UserInputException;
import dev.chorus.config.ChainSettings;
import dev.chorus.config.ConfigLoader;
import dev.chorus.config.RedactedUrl;
import dev.chorus.config.ValidatorConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.web3j.crypto.Credentials;
import picocli.CommandLine.Option;

/** Which chain, contract and subnet a command works on: flags win over the endpoint file of {@code chain up}. */
final class ChainTargetOptions {

    @Option(names = "--rpc-url", paramLabel = "URL", description = "JSON-RPC endpoint (default: from the endpoint file).")
    String rpcUrl;

    @Option(names = "--contract", paramLabel = "ADDRESS", description = "Subnet contract address (default: from the endpoint file).")
    String contract;

    @Option(names = "--netuid", paramLabel = "N", description = "Subnet id (default: from the endpoint file).")
    Integer netuid;

    @Option(names = "--chain-id", paramLabel = "ID", description = "Expected chain id, checked on connect (default: from the endpoint file; 0 accepts any).")
    Long chainId;

    @Option(names = "--chain-file", paramLabel = "FILE", description = "Endpoint file written by `chorus chain up` (default: ${DEFAULT-VALUE}).")
    Path chainFile = ChainEndpoint.DEFAULT_FILE;

    @Option(names = "--set", paramLabel = "chain.KEY=VALUE",
            description = "A chain client setting, as in validator.example.yaml: timeouts, retries, gas margin and fees,"
                    + " e.g. --set chain.max_fee_per_gas_wei=0 (the endpoint comes from the options above).")
    Map<String, String> settings = new LinkedHashMap<>();

    /** The endpoint's own settings come from the flags and the endpoint file; a second way to give them would clash. */
    private static final Set<String> ENDPOINT_KEYS = Set.of("chain.rpc_url", "chain.contract_address", "chain.netuid",
            "chain.chain_id");

    ChainEndpoint endpoint() {
        if (rpcUrl != null && contract != null && netuid != null) {
            return new ChainEndpoint(requireHttpUrl(rpcUrl), contract, chainId == null ? 0 : chainId, requireNetuid(netuid));
        }
        ChainEndpoint file = ChainEndpoint.read(chainFile);
        return new ChainEndpoint(requireHttpUrl(rpcUrl != null ? rpcUrl : file.rpcUrl()),
                contract != null ? contract : file.contract(), chainId != null ? chainId : file.chainId(),
                requireNetuid(netuid != null ? netuid : file.netuid()));
    }

    /** The client would encode a netuid outside uint16 only when calling, and fail with an ABI encoder's message. */
    private int requireNetuid(int id) {
        if (id < 0 || id > 65_535) {
            String from = netuid != null ? "--netuid" : "the netuid in " + chainFile.toAbsolutePath();
            throw new UserInputException(from + " (" + id + ") is not a subnet id: give 0 to 65535, as `chorus chain up`"
                    + " printed it");
        }
        return id;
    }

    /** web3j would refuse a URL without a scheme only when sending, with a message that cuts the URL short. */
    private String requireHttpUrl(String url) {
        if (url != null && ChainSettings.isHttpUrl(url.strip())) {
            return url.strip();
        }
        String from = rpcUrl != null ? "--rpc-url" : "the rpc_url in " + chainFile.toAbsolutePath();
        throw new UserInputException(from + " ('" + RedactedUrl.of(url == null ? "" : url) + "') is not an http:// or"
                + " https:// URL; write it whole, e.g. http://127.0.0.1:8545");
    }

    /**
     * The validator's chain settings with the {@code --set} ones applied, so that a message naming a setting
     * ({@code chain.max_fee_per_gas_wei}) can be acted on here too. Receipts are polled every 50 ms unless set.
     */
    private ClientOptions clientOptions(ChainEndpoint endpoint) {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("chain.receipt_poll", "50ms");
        settings.forEach((key, value) -> {
            if (!key.startsWith("chain.")) {
                throw new UserInputException("--set " + key + ": `chorus chain` commands take chain.* settings only");
            }
            if (ENDPOINT_KEYS.contains(key)) {
                throw new UserInputException("--set " + key + ": give the endpoint with --rpc-url, --contract, --netuid"
                        + " and --chain-id instead");
            }
            overrides.put(key, value);
        });
        overrides.put("chain.rpc_url", endpoint.rpcUrl());
        overrides.put("chain.contract_address", endpoint.contract());
        overrides.put("chain.netuid", Integer.toString(endpoint.netuid()));
        overrides.put("chain.chain_id", Long.toString(endpoint.chainId()));
        return ClientOptions.of(ConfigLoader.load(ValidatorConfig.defaults(), Optional.empty(), Map.of(), overrides).chain());
    }

    Web3jSubnetChain connect(Credentials credentials) {
        ChainEndpoint endpoint = endpoint();
        return Web3jSubnetChain.local(endpoint.rpcUrl(), requireAddress(endpoint.contract()), credentials, clientOptions(endpoint));
    }

    Web3jSubnetChain connectReadOnly() {
        ChainEndpoint endpoint = endpoint();
        return Web3jSubnetChain.readOnly(endpoint.rpcUrl(), new ChainFlavour.Local(requireAddress(endpoint.contract())), clientOptions(endpoint));
    }

    private String requireAddress(String address) {
        String from = contract != null ? "--contract" : "the contract address in " + chainFile.toAbsolutePath();
        return requireAddress(from, address, "pass --contract, or run `chorus chain up` again to rewrite that file");
    }

    /** {@code address} when it is a 0x address; else a usage error naming {@code from} and saying how to {@code fix} it. */
    static String requireAddress(String from, String address, String fix) {
        if (address == null || !address.matches("0x[0-9a-fA-F]{40}")) {
            throw new UserInputException(from + " ('" + (address == null ? "" : address) + "') is not a 0x address of 40 hex"
                    + " digits; " + fix);
        }
        return address;
    }
}
