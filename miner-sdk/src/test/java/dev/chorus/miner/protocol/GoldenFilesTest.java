package dev.chorus.miner.protocol;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The golden request and response in src/test/resources/golden, asserted both ways: the records
 * and keys below write exactly those bytes and headers, and those bytes read back to the records and
 * verify. The signatures were also reproduced independently with ethers 6 (see PROTOCOL.md).
 */
class GoldenFilesTest {

    static final Hotkey VALIDATOR = Hotkey.fromPrivateKey(
            "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
    static final Hotkey MINER = Hotkey.fromPrivateKey(
            "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
    static final String UUID = "6f1c1a3e-4b7d-4c2a-9e58-2d0f3b9a7c11";

    static final QueryRequest REQUEST = QueryRequest.qa("q-2025-06-01-000042", 7,
            "Why does the sky look blue?\nAnswer in one sentence \u2014 briefly.", 1748779212000L);
    static final QueryResponse RESPONSE = new QueryResponse("q-2025-06-01-000042",
            "Air molecules scatter the short \"blue\" wavelengths of sunlight far more than the red ones"
                    + " (Rayleigh scattering), so blue light reaches the eye from every part of the sky.",
            "chorus-kb/all-MiniLM-L6-v2", new QueryResponse.Timings(3, 41));

    @Test
    void requestRecordWritesTheGoldenBytes() throws IOException {
        assertThat(CanonicalJson.write(REQUEST)).isEqualTo(bytes("query-request.json"));
    }

    @Test
    void goldenRequestBytesReadBackToTheRecordAndRewriteIdentically() throws IOException {
        QueryRequest parsed = CanonicalJson.read(bytes("query-request.json"), QueryRequest.class);
        assertThat(parsed).isEqualTo(REQUEST);
        assertThat(CanonicalJson.write(parsed)).isEqualTo(bytes("query-request.json"));
    }

    @Test
    void responseRecordWritesTheGoldenBytes() throws IOException {
        assertThat(CanonicalJson.write(RESPONSE)).isEqualTo(bytes("query-response.json"));
    }

    @Test
    void goldenResponseBytesReadBackToTheRecordAndRewriteIdentically() throws IOException {
        QueryResponse parsed = CanonicalJson.read(bytes("query-response.json"), QueryResponse.class);
        assertThat(parsed).isEqualTo(RESPONSE);
        assertThat(CanonicalJson.write(parsed)).isEqualTo(bytes("query-response.json"));
    }

    @Test
    void validatorKeySignsTheGoldenRequestHeaders() throws IOException {
        EpistulaHeaders signed = Epistula.sign(VALIDATOR, bytes("query-request.json"), MINER.address(), UUID,
                1748779200000L);
        assertThat(signed.asRequestHeaders()).containsExactlyEntriesOf(headers("query-request.headers"));
    }

    @Test
    void minerKeySignsTheGoldenResponseHeaders() throws IOException {
        EpistulaHeaders signed = Epistula.sign(MINER, bytes("query-response.json"), VALIDATOR.address(), UUID,
                1748779200047L);
        assertThat(signed.asResponseHeaders()).containsExactlyEntriesOf(headers("query-response.headers"));
    }

    @Test
    void goldenSignaturesRecoverTheirSigners() throws IOException {
        Map<String, String> request = headers("query-request.headers");
        String requestMessage = Epistula.message(bytes("query-request.json"), request.get(EpistulaHeaders.UUID),
                Long.parseLong(request.get(EpistulaHeaders.TIMESTAMP)), request.get(EpistulaHeaders.SIGNED_FOR));
        assertThat(Epistula.recoverSigner(requestMessage, request.get(EpistulaHeaders.REQUEST_SIGNATURE)))
                .isEqualTo(VALIDATOR.address()).isEqualTo(request.get(EpistulaHeaders.SIGNED_BY));

        Map<String, String> response = headers("query-response.headers");
        String responseMessage = Epistula.message(bytes("query-response.json"), response.get(EpistulaHeaders.UUID),
                Long.parseLong(response.get(EpistulaHeaders.TIMESTAMP)), response.get(EpistulaHeaders.SIGNED_FOR));
        assertThat(Epistula.recoverSigner(responseMessage, response.get(EpistulaHeaders.RESPONSE_SIGNATURE)))
                .isEqualTo(MINER.address()).isEqualTo(response.get(EpistulaHeaders.SIGNED_BY));
    }

    @Test
    void wellKnownTestKeysHaveTheirPublishedAddresses() {
        assertThat(VALIDATOR.address()).isEqualTo("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
        assertThat(MINER.address()).isEqualTo("0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
    }

    static byte[] bytes(String name) throws IOException {
        try (InputStream in = GoldenFilesTest.class.getResourceAsStream("/golden/" + name)) {
            assertThat(in).as("golden file " + name).isNotNull();
            return in.readAllBytes();
        }
    }

    static Map<String, String> headers(String name) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : new String(bytes(name), StandardCharsets.UTF_8).split("\n")) {
            int colon = line.indexOf(": ");
            headers.put(line.substring(0, colon), line.substring(colon + 2));
        }
        return headers;
    }
}
