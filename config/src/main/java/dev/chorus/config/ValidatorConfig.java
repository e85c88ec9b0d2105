package dev.chorus.config;

import java.net.InetAddress;
import java.util.List;
import java.util.stream.Stream;

/** Everything a validator process needs; see {@code validator.example.yaml} for a commented file. */
public record ValidatorConfig(ChainSettings chain, KeySettings key, RoundSettings rounds, EmbeddingSettings embedding,
                              ScoringSettings scoring, WeightSettings weights, AdminSettings admin,
                              StateSettings state, OrganicSettings organic) implements Settings {

    private static final List<InetAddress> LOCALHOST = Stream.of("127.0.0.1", "::1")
            .map(literal -> IpLiteral.parse(literal).orElseThrow()).toList();

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
            // Vert.x shares one socket among the servers of a process that listen on the same host text and port, handing
            // each connection to the next of them in turn: both listeners would start and each answer every other
            // request with the other's 404. The same address written another way (localhost for 127.0.0.1, a wildcard
            // that takes it too) is another socket, which the operating system refuses to bind once the first is open.
            problems.add(prefix + "organic.port: " + organic.port() + " is admin.port too, and organic.host "
                    + organic.host() + " and admin.host " + admin.host() + " take the same address; set organic.port to"
                    + " a port of its own: on one address and port the two listeners would split the requests between"
                    + " them, each answering the other's with 404, or the second would fail to start");
        }
    }

    /**
     * Whether two listen addresses take the same sockets: the same text, the same address written out, localhost and a
     * loopback address it may stand for, or either one every address (0.0.0.0, ::). Other names are not looked up.
     */
    private static boolean sameAddress(String host, String other) {
        String a = unbracketed(host);
        String b = unbracketed(other);
        if (a.equalsIgnoreCase(b) || isWildcard(a) || isWildcard(b)) {
            return true;
        }
        List<InetAddress> taken = addresses(a);
        return addresses(b).stream().anyMatch(taken::contains);
    }

    /** The addresses {@code host} may bind, read from the text: localhost is 127.0.0.1 or ::1, as the hosts file says. */
    private static List<InetAddress> addresses(String host) {
        return host.equalsIgnoreCase("localhost") ? LOCALHOST : IpLiteral.parse(host).stream().toList();
    }

    private static String unbracketed(String host) {
        return host == null ? "" : host.strip().replaceAll("^\\[|]$", "");
    }

    private static boolean isWildcard(String host) {
        return IpLiteral.parse(host).map(InetAddress::isAnyLocalAddress).orElse(false);
    }
}
