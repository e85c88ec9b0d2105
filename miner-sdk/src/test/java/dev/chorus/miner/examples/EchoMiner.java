package dev.chorus.miner.examples;

// The miner shown in miner-sdk/README.md, imports and all: ReadmeTest keeps the two identical, the compiler keeps
// it honest.
// README:BEGIN
import dev.chorus.chain.web3j.ClientOptions;
import dev.chorus.chain.web3j.SigningKey;
import dev.chorus.chain.web3j.Web3jSubnetChain;
import dev.chorus.miner.protocol.Hotkey;
import dev.chorus.miner.server.MetagraphSource;
import dev.chorus.miner.server.MinerServer;
import dev.chorus.miner.server.StopOnSignal;
import org.web3j.crypto.Credentials;

public class EchoMiner {
    public static void main(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: EchoMiner <subnet contract address> [port]");
        }
        Credentials key = SigningKey.fromEnvironment("CHORUS_PRIVATE_KEY");
        var chain = Web3jSubnetChain.local("http://127.0.0.1:8545", args[0], key, ClientOptions.defaults());
        int netuid = 1;
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 8091;
        MinerServer server = MinerServer.builder()
                .hotkey(Hotkey.of(key)).netuid(netuid).port(port).metagraph(MetagraphSource.fromChain(chain, netuid))
                .miner(query -> "You asked: " + query.prompt())
                .start().await();
        StopOnSignal.install("echo-miner-stop", () -> server.close().await());
        int uid = server.joinSubnet(chain, "127.0.0.1").uid();
        System.out.println("uid " + uid + " on subnet " + netuid + " answers on port " + server.port());
    }
}
// README:END
