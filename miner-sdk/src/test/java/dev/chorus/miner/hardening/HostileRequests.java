package dev.chorus.miner.hardening;

import dev.chorus.miner.protocol.CanonicalJson;
import dev.chorus.miner.protocol.Epistula;
import dev.chorus.miner.protocol.Hotkey;
import dev.chorus.miner.protocol.QueryRequest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * A seeded generator of whole raw HTTP requests to a miner: each starts from a correctly signed query and breaks it
 * in one named way (headers, JSON, sizes, encodings, framing). Bodies that must reach the JSON parser are re-signed
 * so the signature check does not hide the parser.
 */
final class HostileRequests {

    /** One generated request; {@code valid} marks the untouched controls, which must be answered 200. */
    record Hostile(String kind, byte[] raw, boolean valid) {
    }

    static final List<String> KINDS = List.of("control", "drop-header", "junk-header-value", "flipped-body-byte",
            "signed-random-json", "signed-wrong-types", "signed-deep-nesting", "signed-invalid-utf8", "signed-huge-string",
            "oversize-body", "stale-timestamp", "wrong-receiver", "stranger-signer", "wrong-path-or-method",
            "random-bytes", "long-header-line", "bad-chunking", "replayed-uuid", "content-length-junk");

    private final Random random;
    private final Hotkey validator;
    private final Hotkey stranger = Hotkey.random();
    private final String miner;
    private final int netuid;
    private final int maxBodyBytes;
    /**
     * The newest control the miner has answered, which a replay repeats. Not merely the newest sent: with clients
     * in parallel on a loaded machine, a control generated 50 requests earlier could still reach the miner after
     * its replay, which would then be the first to use the id (200), and the control the replay (409).
     */
    private byte[] answeredControl;

    HostileRequests(long seed, Hotkey validator, String miner, int netuid, int maxBodyBytes) {
        this.random = new Random(seed);
        this.validator = validator;
        this.miner = miner;
        this.netuid = netuid;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Records that the miner answered {@code control} (200), so that later replays repeat it. */
    void answered(Hostile control) {
        answeredControl = control.raw();
    }

    Hostile next(int index) {
        String kind = index % 50 == 0 ? "control" : KINDS.get(1 + random.nextInt(KINDS.size() - 1));
        if (kind.equals("replayed-uuid") && answeredControl == null) {
            kind = "random-bytes";
        }
        QueryRequest query = QueryRequest.qa(UUID.randomUUID().toString(), netuid, "fuzz " + index,
                System.currentTimeMillis() + 5_000);
        byte[] body = CanonicalJson.write(query);
        long now = System.currentTimeMillis();
        Map<String, String> headers = new LinkedHashMap<>(Epistula.sign(validator, body, miner, now).asRequestHeaders());
        String path = "/v1/query";
        String method = "POST";
        return switch (kind) {
            case "control" -> {
                yield new Hostile(kind, request(method, path, headers, body), true);
            }
            case "drop-header" -> {
                headers.remove(new ArrayList<>(headers.keySet()).get(random.nextInt(headers.size())));
                yield new Hostile(kind, request(method, path, headers, body), false);
            }
            case "junk-header-value" -> {
                String name = new ArrayList<>(headers.keySet()).get(random.nextInt(headers.size()));
                headers.put(name, junkText(1 + random.nextInt(300)));
                yield new Hostile(kind, request(method, path, headers, body), false);
            }
            case "flipped-body-byte" -> {
                byte[] flipped = body.clone();
                flipped[random.nextInt(flipped.length)] ^= (byte) (1 + random.nextInt(255));
                yield new Hostile(kind, request(method, path, headers, flipped), false);
            }
            case "signed-random-json" -> signed(kind, randomJson(4).getBytes(StandardCharsets.UTF_8), now);
            case "signed-wrong-types" -> signed(kind, wrongTypes(query), now);
            case "signed-deep-nesting" -> {
                int depth = 1_000 + random.nextInt(20_000);
                String deep = "{\"v\":1,\"x\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
                yield signed(kind, deep.getBytes(StandardCharsets.UTF_8), now);
            }
            case "signed-invalid-utf8" -> {
                byte[] broken = body.clone();
                int at = broken.length / 2 + random.nextInt(broken.length / 2 - 2);
                broken[at] = (byte) (0x80 + random.nextInt(0x80));
                broken[at + 1] = (byte) random.nextInt(0x80);
                yield signed(kind, broken, now);
            }
            case "signed-huge-string" -> {
                String prompt = "é".repeat(maxBodyBytes / 4 + random.nextInt(maxBodyBytes / 4));
                yield signed(kind, CanonicalJson.write(QueryRequest.qa(UUID.randomUUID().toString(), netuid + 1, prompt,
                        now + 5_000)), now);
            }
            case "oversize-body" -> {
                byte[] big = new byte[maxBodyBytes + 1 + random.nextInt(maxBodyBytes * 4)];
                java.util.Arrays.fill(big, (byte) ' ');
                System.arraycopy(body, 0, big, 0, body.length);
                yield signed(kind, big, now);
            }
            case "stale-timestamp" -> signed(kind, body, now - 60_000 - random.nextInt(1_000_000));
            case "wrong-receiver" -> new Hostile(kind, request(method, path,
                    Epistula.sign(validator, body, Hotkey.random().address(), now).asRequestHeaders(), body), false);
            case "stranger-signer" -> new Hostile(kind, request(method, path,
                    Epistula.sign(stranger, body, miner, now).asRequestHeaders(), body), false);
            case "wrong-path-or-method" -> random.nextBoolean()
                    ? new Hostile(kind, request(method, "/" + junkPath(), headers, body), false)
                    : new Hostile(kind, request(List.of("GET", "PUT", "DELETE", "PATCH").get(random.nextInt(4)), path,
                    headers, body), false);
            case "random-bytes" -> {
                byte[] raw = new byte[1 + random.nextInt(2_000)];
                random.nextBytes(raw);
                yield new Hostile(kind, raw, false);
            }
            case "long-header-line" -> {
                headers.put("X-Fuzz", "a".repeat(9_000 + random.nextInt(50_000)));
                yield new Hostile(kind, request(method, path, headers, body), false);
            }
            case "bad-chunking" -> {
                ByteArrayOutputStream raw = new ByteArrayOutputStream();
                raw.writeBytes(head(method, path, headers, "Transfer-Encoding: chunked\r\n"));
                raw.writeBytes((List.of("zz", "-1", "ffffffffffffffff", "10;x=" + "y".repeat(100))
                        .get(random.nextInt(4)) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                raw.writeBytes(body);
                raw.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                yield new Hostile(kind, raw.toByteArray(), false);
            }
            case "replayed-uuid" -> new Hostile(kind, answeredControl, false);
            case "content-length-junk" -> {
                ByteArrayOutputStream raw = new ByteArrayOutputStream();
                raw.writeBytes(head(method, path, headers, "Content-Length: " + List.of("-5", "abc", "99999999999999999999",
                        "1, 2", "0x10").get(random.nextInt(5)) + "\r\n"));
                raw.writeBytes(body);
                yield new Hostile(kind, raw.toByteArray(), false);
            }
            default -> throw new IllegalStateException("no generator for " + kind);
        };
    }

    private Hostile signed(String kind, byte[] body, long timestamp) {
        return new Hostile(kind, request("POST", "/v1/query", Epistula.sign(validator, body, miner, timestamp)
                .asRequestHeaders(), body), false);
    }

    private byte[] wrongTypes(QueryRequest query) {
        String[] variants = {
                "{\"v\":\"1\",\"queryId\":\"" + query.queryId() + "\",\"netuid\":" + netuid + "}",
                "{\"v\":1,\"queryId\":null,\"netuid\":" + netuid + ",\"task\":\"qa\",\"prompt\":\"x\",\"deadline\":1}",
                "{\"v\":1,\"queryId\":[],\"netuid\":{},\"task\":7,\"prompt\":false,\"deadline\":\"soon\"}",
                "[" + new String(CanonicalJson.write(query), StandardCharsets.UTF_8) + "]",
                "{\"v\":1e400,\"netuid\":-1,\"deadline\":-99999999999999999999}",
                "null", "\"\"", "{}", "{\"v\":1,\"v\":2}"};
        return variants[random.nextInt(variants.length)].getBytes(StandardCharsets.UTF_8);
    }

    private String randomJson(int depth) {
        int pick = random.nextInt(depth <= 0 ? 4 : 6);
        return switch (pick) {
            case 0 -> Long.toString(random.nextLong());
            case 1 -> "\"" + junkText(random.nextInt(40)).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            case 2 -> random.nextBoolean() ? "true" : "null";
            case 3 -> Double.toString(random.nextGaussian() * 1e300);
            case 4 -> {
                StringBuilder array = new StringBuilder("[");
                for (int i = random.nextInt(5); i > 0; i--) {
                    array.append(randomJson(depth - 1)).append(i > 1 ? "," : "");
                }
                yield array.append(random.nextInt(10) == 0 ? "" : "]").toString();
            }
            default -> {
                StringBuilder object = new StringBuilder("{");
                for (int i = random.nextInt(5); i > 0; i--) {
                    object.append('"').append(List.of("v", "queryId", "netuid", "task", "prompt", "deadline", "x")
                            .get(random.nextInt(7))).append("\":").append(randomJson(depth - 1)).append(i > 1 ? "," : "");
                }
                yield object.append('}').toString();
            }
        };
    }

    private String junkText(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) switch (random.nextInt(4)) {
                case 0 -> 0x20 + random.nextInt(0x5f);
                case 1 -> 0x80 + random.nextInt(0x780);
                case 2 -> random.nextInt(0x20);
                default -> 0x4e00 + random.nextInt(0x100);
            });
        }
        return text.toString();
    }

    private String junkPath() {
        return List.of("v1/queries", "v2/query", "..%2f..%2fetc%2fpasswd", "",
                "v1/%ff%fe", "v1/query/../../admin").get(random.nextInt(6));
    }

    private static byte[] request(String method, String path, Map<String, String> headers, byte[] body) {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.writeBytes(head(method, path, headers, "Content-Length: " + body.length + "\r\n"));
        raw.writeBytes(body);
        return raw.toByteArray();
    }

    /** Header values go out as UTF-8 bytes on purpose: junk values must reach the server unescaped. */
    private static byte[] head(String method, String path, Map<String, String> headers, String framing) {
        StringBuilder head = new StringBuilder(method).append(' ').append(path)
                .append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\n")
                .append(framing);
        headers.forEach((name, value) -> head.append(name).append(": ").append(value.replace("\r", "").replace("\n", ""))
                .append("\r\n"));
        return head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }
}
