package dev.chorus.chain.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How to run the local chain.
 *
 * @param anvilBinary   the Anvil executable; empty = {@code CHORUS_ANVIL}, else the chain module's node_modules
 * @param port          loopback port to listen on; 0 picks a free one
 * @param accounts      funded dev accounts to derive (Anvil's mnemonic, m/44'/60'/0'/0/i)
 * @param balanceEther  starting balance of each dev account, in ether
 * @param blockGasLimit block (and per-transaction) gas limit; large so 256-uid weight rows fit
 * @param chainId       the chain id Anvil reports
 * @param startTimeout  how long to wait for Anvil to answer JSON-RPC
 */
public record LocalChainOptions(
        Optional<Path> anvilBinary,
        int port,
        int accounts,
        long balanceEther,
        long blockGasLimit,
        long chainId,
        Duration startTimeout) {

    public static final long DEFAULT_CHAIN_ID = 31337;

    public LocalChainOptions {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 (any free port) and 65535, got " + port);
        }
        if (accounts < 1 || accounts > 1000) {
            throw new IllegalArgumentException("accounts must be between 1 and 1000, got " + accounts);
        }
        if (balanceEther < 1) {
            throw new IllegalArgumentException("balanceEther must be positive, got " + balanceEther);
        }
        if (blockGasLimit < 30_000_000) {
            throw new IllegalArgumentException("blockGasLimit must be at least 30000000, got " + blockGasLimit);
        }
        if (startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("startTimeout must be positive, got " + startTimeout);
        }
    }

    public static LocalChainOptions defaults() {
        return new LocalChainOptions(Optional.empty(), 0, 10, 1_000_000, 1_000_000_000L, DEFAULT_CHAIN_ID, Duration.ofSeconds(20));
    }

    public LocalChainOptions withAccounts(int count) {
        return new LocalChainOptions(anvilBinary, port, count, balanceEther, blockGasLimit, chainId, startTimeout);
    }

    public LocalChainOptions withPort(int fixedPort) {
        return new LocalChainOptions(anvilBinary, fixedPort, accounts, balanceEther, blockGasLimit, chainId, startTimeout);
    }
}
