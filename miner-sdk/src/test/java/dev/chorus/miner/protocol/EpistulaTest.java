package dev.chorus.miner.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EpistulaTest {

    private static final Hotkey SIGNER = Hotkey.random();
    private static final String RECEIVER = Hotkey.random().address();
    private static final byte[] BODY = "{\"x\":1}".getBytes(StandardCharsets.UTF_8);
    private static final String UUID = "0e7d3f8a-1c2b-4d5e-8f90-a1b2c3d4e5f6";

    @Test
    void signatureRecoversTheSigner() {
        EpistulaHeaders h = Epistula.sign(SIGNER, BODY, RECEIVER, UUID, 1_700_000_000_000L);
        String message = Epistula.message(BODY, UUID, h.timestamp(), RECEIVER);
        assertThat(Epistula.recoverSigner(message, h.signature())).isEqualTo(SIGNER.address());
    }

    @Test
    void changedBodyRecoversSomeoneElse() {
        EpistulaHeaders h = Epistula.sign(SIGNER, BODY, RECEIVER, UUID, 1_700_000_000_000L);
        byte[] tampered = "{\"x\":2}".getBytes(StandardCharsets.UTF_8);
        assertThat(Epistula.recoverSigner(Epistula.message(tampered, UUID, h.timestamp(), RECEIVER), h.signature()))
                .isNotEqualTo(SIGNER.address());
    }

    @Test
    void messageIsBodyHashUuidTimestampAndReceiver() {
        assertThat(Epistula.message("abc".getBytes(StandardCharsets.UTF_8), UUID, 42, "0xABCDEF0123456789abcdef0123456789ABCDEF01"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad." + UUID
                        + ".42.0xabcdef0123456789abcdef0123456789abcdef01");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0x", "0x1234", "not-hex", "0xzz"})
    void malformedSignaturesAreRejectedNotSkipped(String signature) {
        assertThatThrownBy(() -> Epistula.recoverSigner("m", signature)).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void wrongRecoveryByteIsRejected() {
        String good = SIGNER.sign("m");
        String badV = good.substring(0, good.length() - 2) + "1d";
        assertThatThrownBy(() -> Epistula.recoverSigner("m", badV)).hasMessageContaining("v must be 27 or 28");
    }

    @Test
    void highSMalleatedSignatureIsRejected() {
        String good = SIGNER.sign("m");
        BigInteger n = new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);
        BigInteger s = new BigInteger(good.substring(66, 130), 16);
        String flippedS = String.format("%064x", n.subtract(s));
        String flippedV = good.endsWith("1b") ? "1c" : "1b";
        String malleated = good.substring(0, 66) + flippedS + flippedV;
        assertThatThrownBy(() -> Epistula.recoverSigner("m", malleated)).hasMessageContaining("not canonical");
    }

    @Test
    void hotkeyNeverPrintsItsPrivateKey() {
        Hotkey key = Hotkey.fromPrivateKey("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
        assertThat(key.toString()).contains(key.address()).doesNotContain("59c6995e");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0x12", "0x0000000000000000000000000000000000000000000000000000000000000000"})
    void badPrivateKeysAreRefusedWithAReason(String key) {
        assertThatThrownBy(() -> Hotkey.fromPrivateKey(key)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("private key");
    }
}
