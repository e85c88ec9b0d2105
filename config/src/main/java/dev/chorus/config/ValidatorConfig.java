package dev.chorus.config;

import java.util.List;

/** Everything a validator process needs; see {@code validator.example.yaml} for a commented file. */
public record ValidatorConfig(ChainSettings chain, KeySettings key, RoundSettings rounds, EmbeddingSettings embedding,
                              ScoringSettings scoring, WeightSettings weights, AdminSettings admin,
                              StateSettings state, OrganicSettings organic) implements Settings {

    public static ValidatorConfig defaults() {
        return new ValidatorConfig(ChainSettings.defaults(), KeySettings.defaults(), RoundSettings.defaults(),
                EmbeddingSettings.defaults(), ScoringSettings.defaults(), WeightSettings.defaults(),
                AdminSettings.defaults(), StateSettings.defaults(), OrganicSettings.defaults());
    }

    @Override
    public void validate(String prefix, List<String> problems) {
        chain.validate(prefix + "chain.", problems);
        key.validate(prefix + "key.", problems);
        rounds.validate(prefix + "rounds.", problems);
        embedding.validate(prefix + "embedding.", problems);
        scoring.validate(prefix + "scoring.", problems);
        weights.validate(prefix + "weights.", problems);
        admin.validate(prefix + "admin.", problems);
        state.validate(prefix + "state.", problems);
        organic.validate(prefix + "organic.", problems);
    }
}
