package dev.chorus.chain;

import java.math.BigInteger;

/**
 * One uid of a subnet as the metagraph shows it. Hotkey and coldkey are 0x-prefixed, lower-case EVM
 * addresses; the u16 terms (consensus, incentive, dividends, validator trust) are the chain's stored
 * fixed-point values (65535 = 1.0); stake and emission are in the chain's base unit.
 */
public record Neuron(
        int uid,
        String hotkey,
        String coldkey,
        BigInteger stake,
        AxonInfo axon,
        boolean validatorPermit,
        boolean active,
        long lastUpdate,
        long registeredAt,
        int consensus,
        int incentive,
        int dividends,
        int validatorTrust,
        BigInteger emission) {

    /**
     * Whether a validator other than {@code viewerHotkey} should ask this neuron and weigh its answers: it serves an
     * axon and holds no validator permit. A neuron that stops serving, or gains a permit, is neither asked nor
     * weighed, so a stale score earns it nothing.
     */
    public boolean isMinerFor(String viewerHotkey) {
        return axon.isServing() && !validatorPermit && !hotkey.equalsIgnoreCase(viewerHotkey);
    }
}
