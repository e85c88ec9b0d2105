package dev.chorus.miner.protocol;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The signed headers of one request or response. The same six values travel both ways; only the
 * name of the signature header differs, so a response cannot be passed off as a request.
 */
public record EpistulaHeaders(String version, long timestamp, String uuid, String signedBy, String signedFor,
                              String signature) {

    public static final String VERSION = "Epistula-Version";
    public static final String TIMESTAMP = "Epistula-Timestamp";
    public static final String UUID = "Epistula-Uuid";
    public static final String SIGNED_BY = "Epistula-Signed-By";
    public static final String SIGNED_FOR = "Epistula-Signed-For";
    public static final String REQUEST_SIGNATURE = "Epistula-Request-Signature";
    public static final String RESPONSE_SIGNATURE = "Epistula-Response-Signature";

    public Map<String, String> asRequestHeaders() {
        return asHeaders(REQUEST_SIGNATURE);
    }

    public Map<String, String> asResponseHeaders() {
        return asHeaders(RESPONSE_SIGNATURE);
    }

    private Map<String, String> asHeaders(String signatureName) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(VERSION, version);
        headers.put(TIMESTAMP, Long.toString(timestamp));
        headers.put(UUID, uuid);
        headers.put(SIGNED_BY, signedBy);
        headers.put(SIGNED_FOR, signedFor);
        headers.put(signatureName, signature);
        return headers;
    }
}
