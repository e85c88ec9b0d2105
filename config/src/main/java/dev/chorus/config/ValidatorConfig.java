package dev.chorus.config;

import java.net.InetAddress;
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
        if (organic.enabled() && organic.port() != 0 && organic.port() == admin.port()
                && sameAddress(organic.host(), admin.host())) {
            // Vert.x shares one socket among the servers of a process that listen on the same host and port, handing
            // each connection to the next of them in turn: both listeners would start and each answer every other
            // request with the other's 404. On a wildcard and a specific address the second would fail to bind.
            problems.add(prefix + "organic.port: " + organic.port() + " is admin.port too, on the same address; give"
                    + " the organic listener a port of its own: on one port the two listeners would split the requests"
                    + " between them, each answering the other's with 404 (or the second would fail to start)");
        }
    }

    /** Whether two listen addresses take the same sockets: the same text, or either one every address (0.0.0.0, ::). */
    private static boolean sameAddress(String host, String other) {
        String a = unbracketed(host);
        String b = unbracketed(other);
        return a.equalsIgnoreCase(b) || isWildcard(a) || isWildcard(b);
    }

    private static String unbracketed(String host) {
        return host == null ? "" : host.strip().replaceAll("^\\[|]$", "");
    }

    private static boolean isWildcard(String host) {
        return IpLiteral.parse(host).map(InetAddress::isAnyLocalAddress).orElse(false);
    }
}
