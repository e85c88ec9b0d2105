package dev.chorus.cli.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.local.LocalChain;
import dev.chorus.chain.local.LocalChainOptions;
import dev.chorus.chain.web3j.ClientOptions;
import dev.chorus.chain.web3j.Web3jSubnetChain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `chorus chain epoch` against a subnet where a staked validator weights one miner. */
class EpochCommandIT {

    @Test
    void runsTheEpochAndShowsWhatEachUidWasPaidThenRefusesUntilTempoHasPassed() {
        try (LocalChain chain = LocalChain.start(LocalChainOptions.defaults().withAccounts(3))) {
            ClientOptions options = ClientOptions.localChain(chain.chainId());
            String contract = Web3jSubnetChain.deploy(chain.rpcUrl(), chain.devAccount(0).credentials(), options);
            int netuid;
            try (Web3jSubnetChain owner = Web3jSubnetChain.local(chain.rpcUrl(), contract, chain.devAccount(0).credentials(), options);
                    Web3jSubnetChain validator = Web3jSubnetChain.local(chain.rpcUrl(), contract, chain.devAccount(1).credentials(), options);
                    Web3jSubnetChain miner = Web3jSubnetChain.local(chain.rpcUrl(), contract, chain.devAccount(2).credentials(), options)) {
                netuid = owner.createSubnet(Hyperparameters.localDevelopment(20));
                validator.register(netuid);
                miner.register(netuid);
                validator.addStake(netuid, validator.signer(), BigInteger.valueOf(5_000_000_000L));
                owner.updateValidatorPermits(netuid);
                validator.setWeights(netuid, List.of(1), List.of(65_535), 0);
            }
            chain.mine(20);
            String[] at = {"--rpc-url", chain.rpcUrl(), "--contract", contract, "--netuid", Integer.toString(netuid),
                    "--chain-id", Long.toString(chain.chainId())};

            StringWriter out = new StringWriter();
            int code = command(out, new StringWriter(), chain.devAccount(2).privateKey()).execute(at);

            assertThat(code).as(out.toString()).isZero();
            assertThat(out.toString()).contains("epoch of subnet " + netuid + " run in block");
            String minerRow = out.toString().lines().filter(line -> line.matches("\\s+1\\s+0x.*")).findFirst().orElseThrow();
            assertThat(minerRow).contains("1.0000").contains("180.0000");
            String validatorRow = out.toString().lines().filter(line -> line.matches("\\s+0\\s+0x.*")).findFirst().orElseThrow();
            assertThat(validatorRow).contains(" yes ").contains("180.0000");

            StringWriter err = new StringWriter();
            int again = command(new StringWriter(), err, chain.devAccount(2).privateKey()).execute(at);
            assertThat(again).isNotZero();
            assertThat(err.toString()).contains("is not due yet", "may run from block", "19 blocks short",
                    "Blocks come from transactions");
        }
    }

    private static CommandLine command(StringWriter out, StringWriter err, String privateKey) {
        EpochCommand epoch = new EpochCommand();
        epoch.key.environment = Map.of("CHORUS_PRIVATE_KEY", privateKey);
        CommandLine line = new CommandLine(epoch);
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));
        return line;
    }
}
