package dev.chorus.bench.load;

import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.SubnetChain;
import dev.chorus.chain.local.DevAccount;
import dev.chorus.chain.local.LocalChain;
import dev.chorus.chain.local.LocalChainOptions;
import dev.chorus.chain.web3j.ClientOptions;
import dev.chorus.chain.web3j.Web3jSubnetChain;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A subnet on a local Anvil sized for a load run: a staked validator with a permit and {@code miners} registered
 * hotkeys. Registrations and axon announcements are sent from several threads at once (each hotkey has its own
 * nonce, and Anvil mines each transaction as it arrives), so 256 miners take seconds, not minutes.
 */
final class LoadSubnet implements AutoCloseable {

    /** Blocks per epoch: far more than a run sends, so no epoch runs in the middle of one. */
    private static final int TEMPO = 60_000;
    private static final int SENDERS = 8;

    final LocalChain chain;
    final String contract;
    final int netuid;
    final DevAccount validator;
    final List<DevAccount> miners;
    private final ClientOptions options;

    private LoadSubnet(int minerCount) throws Exception {
        chain = LocalChain.start(LocalChainOptions.defaults().withAccounts(2 + minerCount));
        options = ClientOptions.localChain(chain.chainId());
        contract = Web3jSubnetChain.deploy(chain.rpcUrl(), chain.devAccount(0).credentials(), options);
        try (SubnetChain owner = client(chain.devAccount(0))) {
            netuid = owner.createSubnet(Hyperparameters.localDevelopment(TEMPO).with("minAllowedWeights", "1")
                    .with("maxAllowedUids", Integer.toString(Math.max(256, minerCount + 16))));
            validator = chain.devAccount(1);
            try (SubnetChain v = client(validator)) {
                v.register(netuid);
                v.addStake(netuid, validator.address(), BigInteger.TEN.pow(12));
            }
            miners = chain.devAccounts().subList(2, 2 + minerCount);
            inParallel(miners, account -> {
                try (SubnetChain c = client(account)) {
                    c.register(netuid);
                }
            });
            owner.updateValidatorPermits(netuid);
        }
    }

    static LoadSubnet start(int miners) throws Exception {
        return new LoadSubnet(miners);
    }

    /** A chain client signing with {@code account}; the caller closes it. */
    SubnetChain client(DevAccount account) {
        return Web3jSubnetChain.local(chain.rpcUrl(), contract, account.credentials(), options);
    }

    /** Announces {@code accounts.get(i)} serving on loopback at {@code ports.get(i)}. */
    void serveAxons(List<DevAccount> accounts, List<Integer> ports) throws Exception {
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < accounts.size(); i++) {
            indexes.add(i);
        }
        inParallel(indexes, i -> {
            try (SubnetChain c = client(accounts.get(i))) {
                c.serveAxon(netuid, "127.0.0.1", ports.get(i));
            }
        });
    }

    private interface ChainStep<T> {
        void run(T item) throws Exception;
    }

    private static <T> void inParallel(List<T> items, ChainStep<T> step) throws Exception {
        try (ExecutorService senders = Executors.newFixedThreadPool(SENDERS)) {
            List<Future<?>> sent = new ArrayList<>();
            for (T item : items) {
                sent.add(senders.submit(() -> {
                    step.run(item);
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        }
    }

    @Override
    public void close() {
        chain.close();
    }
}
