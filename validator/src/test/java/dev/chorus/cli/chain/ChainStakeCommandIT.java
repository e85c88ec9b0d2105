package dev.chorus.cli.chain;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.local.LocalChain;
import dev.chorus.chain.local.LocalChainOptions;
import dev.chorus.chain.web3j.ClientOptions;
import dev.chorus.chain.web3j.Web3jSubnetChain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `chorus chain stake` sends two transactions; the second failing must not read as a failed stake. */
class ChainStakeCommandIT {

    @Test
    void aFailedPermitRefreshSaysTheStakeLandedAndNotToStakeAgain() throws Exception {
        try (LocalChain chain = LocalChain.start(LocalChainOptions.defaults().withAccounts(2));
                HttpClient http = HttpClient.newHttpClient()) {
            ClientOptions options = ClientOptions.localChain(chain.chainId());
            String contract = Web3jSubnetChain.deploy(chain.rpcUrl(), chain.devAccount(0).credentials(), options);
            int netuid = subnetWithValidator(chain, contract, BigInteger.ZERO);
            // Passes JSON-RPC through to Anvil, but refuses every transaction after the first (the stake).
            AtomicInteger transactions = new AtomicInteger();
            HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            proxy.createContext("/", exchange -> {
                String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                byte[] reply;
                if (request.contains("eth_sendRawTransaction") && transactions.incrementAndGet() > 1) {
                    String id = request.replaceAll("(?s).*\"id\"\\s*:\\s*(\\d+).*", "$1");
                    reply = ("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"error\":{\"code\":-32000,\"message\":\"refused by the test\"}}")
                            .getBytes(StandardCharsets.UTF_8);
                } else {
                    try {
                        reply = http.send(HttpRequest.newBuilder(URI.create(chain.rpcUrl())).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(request)).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.IOException(e);
                    }
                }
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, reply.length);
                exchange.getResponseBody().write(reply);
                exchange.close();
            });
            proxy.start();
            try {
                ChainStakeCommand stake = new ChainStakeCommand();
                stake.key.environment = Map.of("CHORUS_PRIVATE_KEY", chain.devAccount(1).privateKey());
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                int code = new CommandLine(stake).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(
                        "--rpc-url", "http://127.0.0.1:" + proxy.getAddress().getPort(), "--contract", contract,
                        "--netuid", Integer.toString(netuid), "--chain-id", Long.toString(chain.chainId()), "--amount", "2.5");

                assertThat(code).as(err.toString()).isZero();
                assertThat(out.toString()).contains("staked 2.5 tokens (2500000000 rao)", "(tx 0x").doesNotContain("refreshed");
                assertThat(err.toString()).contains("warning: the stake is applied (tx 0x",
                        "the validator permits were not refreshed", "refused by the test",
                        "do not run `chorus chain stake` again", "next epoch refreshes the permits");
            } finally {
                proxy.stop(0);
            }
            try (Web3jSubnetChain reader = Web3jSubnetChain.local(chain.rpcUrl(), contract, chain.devAccount(0).credentials(), options)) {
                assertThat(reader.metagraph(netuid).neurons().getFirst().stake()).isEqualTo(BigInteger.valueOf(2_500_000_000L));
            }
        }
    }

    /** Between epochs permits are only granted, so a withdrawal sends no refresh and says when the permit goes. */
    @Test
    void aWithdrawalSendsNoRefreshAndSaysTheEpochDecidesThePermit() throws Exception {
        try (LocalChain chain = LocalChain.start(LocalChainOptions.defaults().withAccounts(2))) {
            String contract = Web3jSubnetChain.deploy(chain.rpcUrl(), chain.devAccount(0).credentials(),
                    ClientOptions.localChain(chain.chainId()));
            int netuid = subnetWithValidator(chain, contract, BigInteger.valueOf(2_000_000_000L));
            String[] target = {"--rpc-url", chain.rpcUrl(), "--contract", contract, "--netuid", Integer.toString(netuid),
                    "--chain-id", Long.toString(chain.chainId())};
            ChainStakeCommand stake = new ChainStakeCommand();
            stake.key.environment = Map.of("CHORUS_PRIVATE_KEY", chain.devAccount(1).privateKey());
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(target),
                    java.util.stream.Stream.of("--amount", "2", "--remove")).toArray(String[]::new);
            long before = chain.blockNumber();
            int code = new CommandLine(stake).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);

            assertThat(code).as(err.toString()).isZero();
            assertThat(out.toString()).contains("removed 2 tokens (2000000000 rao)", "validator permits change at the"
                    + " subnet's next epoch").doesNotContain("granted");
            assertThat(chain.blockNumber() - before).as("one transaction: the withdrawal alone").isEqualTo(1);
        }
    }

    /**
     * {@code chain status} shows a hotkey's whole stake, others' included, while --remove takes back only the signer's
     * own: a refusal must say how much that is, or the user is left to guess.
     */
    @Test
    void aWithdrawalOfMoreThanTheSignersOwnStakeSaysHowMuchItHolds() throws Exception {
        try (LocalChain chain = LocalChain.start(LocalChainOptions.defaults().withAccounts(2))) {
            ClientOptions options = ClientOptions.localChain(chain.chainId());
            String contract = Web3jSubnetChain.deploy(chain.rpcUrl(), chain.devAccount(0).credentials(), options);
            int netuid = subnetWithValidator(chain, contract, BigInteger.valueOf(2_000_000_000L));
            try (Web3jSubnetChain delegator = Web3jSubnetChain.local(chain.rpcUrl(), contract, chain.devAccount(0).credentials(), options)) {
                delegator.addStake(netuid, chain.devAccount(1).address(), BigInteger.valueOf(1_000_000_000L));
            }
            StringWriter err = new StringWriter();
            int code = stakeThroughChorus(chain, err, "--rpc-url", chain.rpcUrl(), "--contract", contract, "--netuid",
                    Integer.toString(netuid), "--chain-id", Long.toString(chain.chainId()), "--amount", "3", "--remove");

            assertThat(code).isEqualTo(1);
            assertThat(err.toString()).contains("NotEnoughStakeToWithdraw", "--remove takes back only the signer's own stake",
                    chain.devAccount(1).address().toLowerCase(java.util.Locale.ROOT) + " has 2 tokens (2000000000 rao) staked on",
                    "of the hotkey's 3 tokens");
        }
    }

    /**
     * A stake whose receipt did not come in time may still land. Run again, as a user unsure of it would, a second
     * stake would queue behind it and both would land: the second run must send nothing while the first waits.
     */
    @Test
    void aStakeLeftUnminedByATimeoutIsNotStakedAgainByARerun() throws Exception {
        try (LocalChain chain = LocalChain.start(LocalChainOptions.defaults().withAccounts(2))) {
            String contract = Web3jSubnetChain.deploy(chain.rpcUrl(), chain.devAccount(0).credentials(),
                    ClientOptions.localChain(chain.chainId()));
            int netuid = subnetWithValidator(chain, contract, BigInteger.ZERO);
            String[] args = {"--rpc-url", chain.rpcUrl(), "--contract", contract, "--netuid", Integer.toString(netuid),
                    "--chain-id", Long.toString(chain.chainId()), "--amount", "2.5", "--set", "chain.receipt_timeout=1s"};
            chain.setAutomine(false);
            StringWriter firstErr = new StringWriter();
            StringWriter secondErr = new StringWriter();
            int first;
            int second;
            try {
                first = stakeThroughChorus(chain, firstErr, args);
                second = stakeThroughChorus(chain, secondErr, args);
                assertThat(chain.pendingTransactions()).as("the second run sent nothing").isEqualTo(1);
                chain.mine(1);
            } finally {
                chain.setAutomine(true);
            }

            assertThat(first).isEqualTo(1);
            assertThat(firstErr.toString()).contains("was not mined within chain.receipt_timeout", "it may still land",
                    "`chorus chain status`", "refuse to send").doesNotContain("the next transaction from this client");
            assertThat(second).isEqualTo(1);
            assertThat(secondErr.toString()).contains("is still waiting to be mined", "nothing was sent");
            try (Web3jSubnetChain reader = Web3jSubnetChain.local(chain.rpcUrl(), contract, chain.devAccount(0).credentials(),
                    ClientOptions.localChain(chain.chainId()))) {
                assertThat(reader.metagraph(netuid).neurons().getFirst().stake()).isEqualTo(BigInteger.valueOf(2_500_000_000L));
            }
        }
    }

    /** {@code chorus chain stake ARGS} signed by dev account 1, through the top command and its failure handler. */
    private static int stakeThroughChorus(LocalChain chain, StringWriter err, String... args) {
        CommandLine chorus = dev.chorus.cli.ChorusCommand.commandLine();
        CommandLine stakeLine = chorus.getSubcommands().get("chain").getSubcommands().get("stake");
        ChainStakeCommand stake = stakeLine.getCommand();
        stake.key.environment = Map.of("CHORUS_PRIVATE_KEY", chain.devAccount(1).privateKey());
        chorus.setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err));
        String[] line = java.util.stream.Stream.concat(java.util.stream.Stream.of("chain", "stake"),
                java.util.Arrays.stream(args)).toArray(String[]::new);
        return chorus.execute(line);
    }

    /** A subnet with dev account 1 registered (and given {@code stake} rao with its permit, when positive). */
    private static int subnetWithValidator(LocalChain chain, String contract, BigInteger stake) {
        ClientOptions options = ClientOptions.localChain(chain.chainId());
        try (Web3jSubnetChain owner = Web3jSubnetChain.local(chain.rpcUrl(), contract, chain.devAccount(0).credentials(), options);
                Web3jSubnetChain validator = Web3jSubnetChain.local(chain.rpcUrl(), contract, chain.devAccount(1).credentials(), options)) {
            int netuid = owner.createSubnet(Hyperparameters.localDevelopment(20));
            validator.register(netuid);
            if (stake.signum() > 0) {
                validator.addStake(netuid, validator.signer(), stake);
                owner.updateValidatorPermits(netuid);
            }
            return netuid;
        }
    }
}
