package dev.chorus.config;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * A URL as messages and logs may show it: scheme, host and port, with {@code /...} standing for whatever else it had.
 * Node providers put the API key in the path ({@code https://mainnet.infura.io/v3/KEY}), the query
 * ({@code ?apikey=KEY}) or the user part ({@code https://user:KEY@host}), and messages end up in log files, terminals
 * and bug reports; the host is enough to tell which endpoint is meant. Shared by the settings checks and the chain
 * client, which both echo {@code chain.rpc_url}.
 */
public final class RedactedUrl {

    private RedactedUrl() {
    }

    /** {@code url} as {@code scheme://host[:port]}, followed by {@code /...} when anything else was left out. */
    public static String of(String url) {
        String text = url == null ? "" : url.strip();
        try {
            URI uri = new URI(text);
            if (uri.getScheme() != null && uri.getHost() != null) {
                String shown = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
                String path = uri.getRawPath();
                boolean more = uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                        || (path != null && !path.isEmpty() && !path.equals("/"));
                return more ? shown + "/..." : shown;
            }
        } catch (URISyntaxException notAUri) {
            // shown as below
        }
        // Not scheme://host (no scheme, a blank inside): what an operator needs to see the mistake is what follows the
        // last @, up to the path.
        String rest = text.substring(text.lastIndexOf('@') + 1);
        int scheme = rest.indexOf("://");
        int end = rest.length();
        for (char c : new char[]{'/', '?', '#'}) {
            int at = rest.indexOf(c, scheme < 0 ? 0 : scheme + 3);
            end = at < 0 ? end : Math.min(end, at);
        }
        return end == rest.length() && rest.length() == text.length() ? text : rest.substring(0, end) + "/...";
    }
}
