package dev.chorus.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;

/**
 * How to reach the subnet contract.
 *
 * @param rpcUrl          JSON-RPC endpoint of the chain (http or https)
 * @param contractAddress 0x address of the deployed Subnet contract
 * @param netuid          the subnet this process works on
 * @param chainId         expected chain id, checked at start; 0 accepts whatever the node reports
 * @param rpcTimeout      deadline for one JSON-RPC call
 * @param receiptTimeout  how long to wait for a transaction to be mined before giving up on it; the next
 *                        transaction then replaces it while it stays unmined
 * @param maxRetries      retries of a transient RPC error (never of a revert)
 * @param retryBackoff    first backoff between retries; doubles each time, up to {@code rpcTimeout}
 * @param metagraphRefresh how often the metagraph is read again
 * @param receiptPoll     interval between receipt queries while a transaction is being mined
 * @param gasMarginPercent extra gas over the node's estimate, in percent
 * @param maxPriorityFeeWei tip per gas in wei for EIP-1559 transactions; 0 asks the node
 * @param maxFeePerGasWei ceiling on the fee per gas (base fee plus tip) this key signs, in wei; 0 for none. The
 *                        node reports the base fee and suggests the tip, so this bounds what a faulty or hostile
 *                        node can make the key pay; a transaction is not sent while the base fee is above it
 */
public record ChainSettings(
        String rpcUrl,
        String contractAddress,
        int netuid,
        long chainId,
        Duration rpcTimeout,
        Duration receiptTimeout,
        int maxRetries,
        Duration retryBackoff,
        Duration metagraphRefresh,
        Duration receiptPoll,
        int gasMarginPercent,
        long maxPriorityFeeWei,
        long maxFeePerGasWei) implements Settings {

    public static ChainSettings defaults() {
        return new ChainSettings("http://127.0.0.1:8545", "", 1, 0,
                Duration.ofSeconds(10), Duration.ofSeconds(60), 3, Duration.ofMillis(500), Duration.ofSeconds(12),
                Duration.ofMillis(250), 25, 0, 1_000_000_000_000L);
    }

    /**
     * Whether {@code url} is one the chain client can send JSON-RPC to: http:// or https:// and a host. Checked here
     * because the HTTP client refuses a URL without a host (or with a space in it) only when it sends, naming no setting.
     */
    public static boolean isHttpUrl(String url) {
        if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
            return false;
        }
        try {
            String authority = new URI(url).getRawAuthority();
            String host = authority == null ? "" : authority.replaceFirst("^.*@", "").replaceFirst(":\\d*$", "");
            return !host.isEmpty();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    @Override
    public void validate(String prefix, List<String> problems) {
        if (!isHttpUrl(rpcUrl)) {
            problems.add(prefix + "rpc_url: '" + RedactedUrl.of(rpcUrl) + "' is not an http(s) URL with a host; set it to your node's JSON-RPC endpoint, e.g. http://127.0.0.1:8545");
        }
        if (contractAddress == null || contractAddress.isBlank()) {
            problems.add(prefix + "contract_address: not set; set it to the address `chorus chain up` printed (in the file,"
                    + " CHORUS_CHAIN_CONTRACT_ADDRESS or --set chain.contract_address=0x...)");
        } else if (!contractAddress.matches("0x[0-9a-fA-F]{40}")) {
            problems.add(prefix + "contract_address: '" + contractAddress + "' is not a 0x address of 40 hex digits; `chorus chain up` prints the address of the deployed contract");
        } else if (contractAddress.matches("0x0{40}")) {
            problems.add(prefix + "contract_address: the zero address is the example file's placeholder, not a contract; set it to the"
                    + " address `chorus chain up` printed (in the file, CHORUS_CHAIN_CONTRACT_ADDRESS or --set chain.contract_address=0x...)");
        }
        if (netuid < 0 || netuid > 65535) {
            problems.add(prefix + "netuid: " + netuid + " is outside 0..65535");
        }
        if (chainId < 0) {
            problems.add(prefix + "chain_id: " + chainId + " is negative; use 0 to accept any chain");
        }
        Checks.positive(prefix + "rpc_timeout", rpcTimeout, problems);
        Checks.positive(prefix + "receipt_timeout", receiptTimeout, problems);
        Checks.positive(prefix + "retry_backoff", retryBackoff, problems);
        Checks.positive(prefix + "metagraph_refresh", metagraphRefresh, problems);
        Checks.range(prefix + "max_retries", maxRetries, 0, 20, problems);
        Checks.positive(prefix + "receipt_poll", receiptPoll, problems);
        Checks.range(prefix + "gas_margin_percent", gasMarginPercent, 0, 400, problems);
        if (maxPriorityFeeWei < 0) {
            problems.add(prefix + "max_priority_fee_wei: " + maxPriorityFeeWei + " is negative; use 0 to take the node's suggestion");
        }
        if (maxFeePerGasWei < 0) {
            problems.add(prefix + "max_fee_per_gas_wei: " + maxFeePerGasWei + " is negative; use 0 for no ceiling");
        } else if (maxFeePerGasWei != 0 && maxPriorityFeeWei > maxFeePerGasWei) {
            problems.add(prefix + "max_priority_fee_wei: " + maxPriorityFeeWei + " is above max_fee_per_gas_wei ("
                    + maxFeePerGasWei + "), so no transaction could pay it; lower the tip or raise the ceiling");
        }
    }
}
