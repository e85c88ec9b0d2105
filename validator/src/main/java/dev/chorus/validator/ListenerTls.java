package dev.chorus.validator;

import dev.chorus.config.IpLiteral;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;

import java.net.InetAddress;

/**
 * https for a validator listener (admin or organic) from the operator's PEM files. The organic listener carries
 * consumers' API keys and prompts and the admin listener off loopback a bearer token: in plain http anyone on the
 * path reads them. Operators who terminate TLS in a proxy leave both files empty.
 *
 * @param settingPrefix where the listener's settings live ({@code admin.}, {@code organic.}), for messages
 * @param certFile      PEM certificate (chain); empty for plain http
 * @param keyFile       PEM private key of the certificate
 */
public record ListenerTls(String settingPrefix, String certFile, String keyFile) {

    public boolean enabled() {
        return certFile != null && !certFile.isBlank();
    }

    /** {@code options} serving https with the files, or unchanged (http) when there are none. */
    public HttpServerOptions apply(HttpServerOptions options) {
        if (!enabled()) {
            return options;
        }
        return options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(certFile).setKeyPath(keyFile));
    }

    /**
     * The base URL a client on this machine reaches the listener at, for log lines: https when TLS is on, loopback in
     * place of an address that binds every interface (0.0.0.0, ::), an IPv6 literal in brackets.
     */
    public String url(String bindHost, int port) {
        String bare = bindHost.startsWith("[") && bindHost.endsWith("]") ? bindHost.substring(1, bindHost.length() - 1)
                : bindHost;
        String host = IpLiteral.parse(bare).map(InetAddress::isAnyLocalAddress).orElse(false) ? "127.0.0.1" : bare;
        return (enabled() ? "https://" : "http://") + IpLiteral.withPort(host, port);
    }

    /**
     * Warns when the listener serves plain http on an address other machines reach, where what it carries crosses the
     * network readable. Operators whose TLS proxy runs on another host see this at every start, which is the point:
     * the hop from the proxy is plain too.
     *
     * @param secrets what the listener's requests carry, for the message ("API keys and prompts")
     */
    public void warnIfPlainOffLoopback(String bindHost, String secrets) {
        if (!enabled() && !IpLiteral.isLoopbackHost(bindHost)) {
            ValidatorLog.plainHttpOffLoopback(settingPrefix, bindHost, secrets);
        }
    }

    /**
     * Why the listener did not start, when it failed for another reason than its address: with https on, that is
     * almost always the files (not PEM, a key that is not the certificate's), and Vert.x's own message does not
     * name the settings.
     */
    public Throwable explain(Throwable failure) {
        if (!enabled()) {
            return failure;
        }
        return new IllegalStateException("cannot serve https with " + settingPrefix + "tls_cert_file " + certFile + " and "
                + settingPrefix + "tls_key_file " + keyFile + " (" + failure.getMessage() + "); give a PEM certificate"
                + " (chain) and its PEM private key, or leave both empty for http", failure);
    }
}
