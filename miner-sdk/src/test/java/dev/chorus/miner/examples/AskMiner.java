package dev.chorus.miner.examples;

// The signed query by hand shown in miner-sdk/README.md, imports and all: ReadmeTest keeps the two identical, the
// compiler keeps it honest.
// README:BEGIN
import dev.chorus.chain.Neuron;
import dev.chorus.chain.web3j.ClientOptions;
import dev.chorus.chain.web3j.SigningKey;
import dev.chorus.chain.web3j.Web3jSubnetChain;
import dev.chorus.miner.client.HttpMinerClient;
import dev.chorus.miner.client.HttpMinerClientOptions;
import dev.chorus.miner.client.MinerAnswer;
import dev.chorus.miner.client.MinerClient;
import dev.chorus.miner.protocol.Hotkey;
import dev.chorus.miner.protocol.QueryRequest;
import io.vertx.core.Vertx;
import org.web3j.crypto.Credentials;

import java.util.UUID;

public class AskMiner {
    public static void main(String[] args) {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: AskMiner <subnet contract address> <miner uid> <question>");
        }
        Credentials key = SigningKey.fromEnvironment("CHORUS_PRIVATE_KEY");
        var chain = Web3jSubnetChain.local("http://127.0.0.1:8545", args[0], key, ClientOptions.defaults());
        Neuron miner = chain.metagraph(1).neuron(Integer.parseInt(args[1]));
        Vertx vertx = Vertx.vertx();
        try (MinerClient client = new HttpMinerClient(vertx, Hotkey.of(key), HttpMinerClientOptions.defaults())) {
            MinerAnswer answer = client.query(miner, QueryRequest.qa(UUID.randomUUID().toString(), 1, args[2],
                    System.currentTimeMillis() + 8_000)).await();
            System.out.println(answer);
        } finally {
            vertx.close().await();
            chain.close();
        }
    }
}
// README:END
