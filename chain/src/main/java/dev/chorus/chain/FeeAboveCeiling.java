package dev.chorus.chain;

/**
 * A transaction was not signed because its fee would pass the operator's ceiling ({@code chain.max_fee_per_gas_wei}).
 * Not a fault of the node's connection: nothing was sent, and the same call can go through once fees come down.
 */
public class FeeAboveCeiling extends ChainException {

    public FeeAboveCeiling(String message) {
        super(message);
    }
}
