package dev.chorus.chain.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.http.HttpService;

class LocalChainIT {

    @Test
    void answersJsonRpcWithFundedDevAccountsAndLeavesNoProcessBehind() throws Exception {
        ProcessHandle anvil;
        try (LocalChain chain = LocalChain.start()) {
            anvil = ProcessHandle.of(chain.pid()).orElseThrow();
            assertThat(anvil.isAlive()).isTrue();
            assertThat(chain.rpcUrl()).startsWith("http://127.0.0.1:");
            Web3j web3j = Web3j.build(new HttpService(chain.rpcUrl()));
            try {
                assertThat(web3j.ethChainId().send().getChainId().longValue()).isEqualTo(LocalChainOptions.DEFAULT_CHAIN_ID);
                DevAccount first = chain.devAccount(0);
                assertThat(first.address()).isEqualTo("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
                BigInteger balance = web3j.ethGetBalance(first.address(), DefaultBlockParameterName.LATEST).send().getBalance();
                assertThat(balance).isEqualTo(BigInteger.TEN.pow(18).multiply(BigInteger.valueOf(1_000_000)));
                long before = chain.blockNumber();
                chain.mine(7);
                assertThat(chain.blockNumber()).isEqualTo(before + 7);
            } finally {
                web3j.shutdown();
            }
        }
        assertThat(anvil.isAlive()).isFalse();
    }

    /**
     * The port probed free is taken by another process before Anvil binds it, and that process answers eth_chainId
     * with the chain id asked for: the start must report our Anvil's failure, not hand out the other's URL.
     */
    @Test
    void aPortTakenAfterTheProbeIsNotMistakenForOurAnvil() throws Exception {
        HttpServer impostor = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        impostor.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x7a69\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        impostor.start();
        LocalChainOptions options = LocalChainOptions.defaults();
        Path anvil = LocalChain.locateAnvil(options.anvilBinary(), Optional.ofNullable(System.getenv(LocalChain.ANVIL_ENV)),
                Path.of("").toAbsolutePath());
        try (HttpClient http = HttpClient.newHttpClient()) {
            assertThatThrownBy(() -> LocalChain.launch(anvil, options, LocalChain.deriveDevAccounts(1), http,
                    impostor.getAddress().getPort()).close())
                    .isInstanceOf(LocalChainException.class)
                    .hasMessageContaining("Anvil exited").hasMessageContaining("Address already in use");
        } finally {
            impostor.stop(0);
        }
    }

    /**
     * {@link LocalChain#start} retries a launch that lost its probed port on a fresh port, with the same HTTP client:
     * the failed attempt must leave that client usable, or the retry waits out its whole start timeout.
     */
    @Test
    void aLaunchAfterOneThatLostItsPortStillStarts() throws Exception {
        LocalChainOptions options = LocalChainOptions.defaults();
        Path anvil = LocalChain.locateAnvil(options.anvilBinary(), Optional.ofNullable(System.getenv(LocalChain.ANVIL_ENV)),
                Path.of("").toAbsolutePath());
        try (HttpClient http = HttpClient.newHttpClient();
             java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> LocalChain.launch(anvil, options, LocalChain.deriveDevAccounts(1), http,
                    taken.getLocalPort()).close())
                    .isInstanceOf(LocalChainException.class).hasMessageContaining("Anvil exited");
            int free;
            try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                free = probe.getLocalPort();
            }
            try (LocalChain chain = LocalChain.launch(anvil, options,
                    LocalChain.deriveDevAccounts(1), http, free)) {
                assertThat(chain.blockNumber()).isGreaterThanOrEqualTo(0);
            }
        }
    }

    @Test
    void aTakenFixedPortIsReportedBeforeAnvilStarts() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> LocalChain.start(LocalChainOptions.defaults().withPort(taken.getLocalPort())))
                    .isInstanceOf(LocalChainException.class)
                    .hasMessageContaining("port " + taken.getLocalPort() + " is already in use");
        }
    }
}
