package dev.chorus.config;

import java.util.List;

/** Everything a miner process needs; see {@code miner.example.yaml} for a commented file. */
public record MinerConfig(ChainSettings chain, KeySettings key, MinerServerSettings server,
                          EmbeddingSettings embedding, MinerModelSettings model) implements Settings {

    public static MinerConfig defaults() {
        return new MinerConfig(ChainSettings.defaults(), KeySettings.defaults(), MinerServerSettings.defaults(),
                EmbeddingSettings.defaults(), MinerModelSettings.defaults());
    }

    @Override
    public void validate(String prefix, List<String> problems) {
        chain.validate(prefix + "chain.", problems);
        key.validate(prefix + "key.", problems);
        server.validate(prefix + "server.", problems);
        embedding.validate(prefix + "embedding.", problems);
        model.validate(prefix + "model.", problems);
    }
}
