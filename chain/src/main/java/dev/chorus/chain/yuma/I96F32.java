package dev.chorus.chain.yuma;

/** The one I96F32 operation the epoch needs: turning an I32F32 share into u64 base units of an emission. */
final class I96F32 {

    private I96F32() {
    }

    /**
     * {@code (I96F32::from(share) * I96F32::from(rao)).saturating_to_num::<u64>()}: the product's raw
     * bits are share * rao (no saturation is possible in 128 bits), floored to an integer and clamped
     * to the u64 range. The result is a u64 held in a long.
     */
    static long shareOf(long shareBits, long rao) {
        if (shareBits <= 0 || rao == 0) {
            return 0;
        }
        long hi = Math.unsignedMultiplyHigh(shareBits, rao);
        long lo = shareBits * rao;
        if ((hi >>> 32) != 0) {
            return -1L;
        }
        return (hi << 32) | (lo >>> 32);
    }
}
