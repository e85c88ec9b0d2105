package dev.chorus.chain;

import dev.chorus.config.IpLiteral;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where a neuron serves, as the neuron precompile stores it: {@code ip} is the integer form of an
 * IPv4 ({@code ipType} 4) or IPv6 ({@code ipType} 6) address, {@code block} the block it was served at.
 */
public record AxonInfo(long block, int version, BigInteger ip, int port, int ipType, int protocol) {

    public static final AxonInfo NONE = new AxonInfo(0, 0, BigInteger.ZERO, 0, 0, 0);

    public boolean isServing() {
        return port != 0 && ip.signum() != 0;
    }

    /** Whether this axon is announced at {@code host} (an IP literal) and {@code port}. */
    public boolean servesAt(String host, int port) {
        return isServing() && this.port == port && ipType == ipTypeOf(host) && ip.equals(encodeIp(host));
    }

    /** The address as text ("127.0.0.1", "::1"); empty when nothing is served. */
    public String host() {
        if (!isServing()) {
            return "";
        }
        int length = ipType == 6 ? 16 : 4;
        byte[] raw = ip.toByteArray();
        byte[] address = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, address, length - copy, copy);
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + length + " bytes is always valid", e);
        }
    }

    /** Base URL of the axon, e.g. {@code http://127.0.0.1:8091}. */
    public String baseUrl() {
        return "http://" + endpoint();
    }

    /** Where the axon listens, "127.0.0.1:8091" or "[::1]:8091"; empty when nothing is served. */
    public String endpoint() {
        return isServing() ? IpLiteral.withPort(host(), port) : "";
    }

    /** Encodes a textual IPv4 or IPv6 address the way {@code serveAxon} expects it. */
    public static BigInteger encodeIp(String host) {
        return new BigInteger(1, literal(host).getAddress());
    }

    public static int ipTypeOf(String host) {
        return literal(host).getAddress().length == 16 ? 6 : 4;
    }

    /** Only IP literals ({@link IpLiteral}): the chain stores an address, never a name. */
    private static InetAddress literal(String host) {
        return IpLiteral.parse(host).orElseThrow(() -> new IllegalArgumentException("not an IP address: '"
                + (host == null ? "" : host.strip()) + "'; give the axon's IPv4 or IPv6 address (host names are not resolved)"));
    }
}
