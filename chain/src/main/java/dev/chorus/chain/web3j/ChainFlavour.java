package dev.chorus.chain.web3j;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.generated.Uint16;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * Where the subnet functions live and how accounts and commit hashes are formed: the local Chorus
 * contract, or Bittensor's EVM precompiles (same function signatures, substrate accounts).
 */
public sealed interface ChainFlavour {

    /** Address that takes setWeights, commit/reveal, burnedRegister and serveAxon. */
    String neuronAddress();

    /** Address that answers the metagraph views (getUidCount, getStake, ...). */
    String metagraphAddress();

    /** Address that takes addStake/removeStake. */
    String stakingAddress();

    /** The 32-byte account a hotkey address stands for in bytes32 parameters. */
    byte[] account(String address);

    /** The hash {@code commitWeights} expects for a later {@code revealWeights} of these arguments by {@code hotkey}. */
    byte[] commitHash(String hotkey, int netuid, List<Integer> uids, List<Integer> values, List<Integer> salt, long versionKey);

    /** The native value to send with a stake of {@code rao}. */
    BigInteger stakeValue(BigInteger rao);

    /** The Chorus contract deployed at {@code contract}: one contract hosts neurons, metagraph and stake. */
    record Local(String contract) implements ChainFlavour {

        static final BigInteger WEI_PER_RAO = BigInteger.TEN.pow(9);

        @Override
        public String neuronAddress() {
            return contract;
        }

        @Override
        public String metagraphAddress() {
            return contract;
        }

        @Override
        public String stakingAddress() {
            return contract;
        }

        /** The address in the low 20 bytes, as the contract reads it back. */
        @Override
        public byte[] account(String address) {
            return Numeric.toBytesPadded(Numeric.toBigInt(address), 32);
        }

        /** keccak256(abi.encode(hotkey, netuid, uids, values, salt, versionKey)), as the contract's commitHashOf. */
        @Override
        public byte[] commitHash(String hotkey, int netuid, List<Integer> uids, List<Integer> values, List<Integer> salt, long versionKey) {
            String encoded = org.web3j.abi.FunctionEncoder.encodeConstructor(List.of(
                    new Address(hotkey), new Uint16(netuid), uint16Array(uids), uint16Array(values), uint16Array(salt),
                    new Uint64(versionKey)));
            return Hash.sha3(Numeric.hexStringToByteArray(encoded));
        }

        @Override
        public BigInteger stakeValue(BigInteger rao) {
            return rao.multiply(WEI_PER_RAO);
        }
    }

    /** Bittensor's precompiles (spec §8): neuron 0x804, metagraph 0x802, staking v2 0x805. */
    record Bittensor() implements ChainFlavour {

        public static final String NEURON = "0x0000000000000000000000000000000000000804";
        public static final String METAGRAPH = "0x0000000000000000000000000000000000000802";
        public static final String STAKING_V2 = "0x0000000000000000000000000000000000000805";

        @Override
        public String neuronAddress() {
            return NEURON;
        }

        @Override
        public String metagraphAddress() {
            return METAGRAPH;
        }

        @Override
        public String stakingAddress() {
            return STAKING_V2;
        }

        /** The substrate account of an EVM address: blake2b-256("evm:" ‖ h160), the runtime's HashedAddressMapping. */
        @Override
        public byte[] account(String address) {
            byte[] h160 = Numeric.hexStringToByteArray(address);
            if (h160.length != 20) {
                throw new IllegalArgumentException("an EVM address has 20 bytes, got " + h160.length + ": " + address);
            }
            ByteArrayOutputStream preimage = new ByteArrayOutputStream();
            preimage.writeBytes("evm:".getBytes(StandardCharsets.US_ASCII));
            preimage.writeBytes(h160);
            return blake2b256(preimage.toByteArray());
        }

        /** BlakeTwo256 over the SCALE encoding of (account, netuid, uids, values, salt, versionKey), as subtensor's reveal checks. */
        @Override
        public byte[] commitHash(String hotkey, int netuid, List<Integer> uids, List<Integer> values, List<Integer> salt, long versionKey) {
            return blake2b256(commitPreimage(account(hotkey), netuid, uids, values, salt, versionKey));
        }

        /** The SCALE bytes of the reveal tuple: account(32) ‖ u16 LE ‖ Vec<u16> ×3 ‖ u64 LE. */
        static byte[] commitPreimage(byte[] account, int netuid, List<Integer> uids, List<Integer> values, List<Integer> salt, long versionKey) {
            ByteArrayOutputStream scale = new ByteArrayOutputStream();
            scale.writeBytes(account);
            writeU16(scale, netuid);
            writeU16Vec(scale, uids);
            writeU16Vec(scale, values);
            writeU16Vec(scale, salt);
            for (int i = 0; i < 8; i++) {
                scale.write((int) (versionKey >>> (8 * i)) & 0xff);
            }
            return scale.toByteArray();
        }

        /** Staking v2 moves TAO from the caller's mapped account; nothing is sent with the call. */
        @Override
        public BigInteger stakeValue(BigInteger rao) {
            return BigInteger.ZERO;
        }

        static byte[] blake2b256(byte[] input) {
            Blake2bDigest digest = new Blake2bDigest(256);
            digest.update(input, 0, input.length);
            byte[] out = new byte[32];
            digest.doFinal(out, 0);
            return out;
        }

        private static void writeU16(ByteArrayOutputStream out, int value) {
            out.write(value & 0xff);
            out.write((value >>> 8) & 0xff);
        }

        private static void writeU16Vec(ByteArrayOutputStream out, List<Integer> values) {
            writeCompact(out, values.size());
            for (int value : values) {
                writeU16(out, value);
            }
        }

        /** SCALE compact integer (lengths only, so below 2^30). */
        static void writeCompact(ByteArrayOutputStream out, int value) {
            if (value < 0 || value >= 1 << 30) {
                throw new IllegalArgumentException("length " + value + " is outside SCALE's four-byte compact range");
            }
            if (value < 1 << 6) {
                out.write(value << 2);
            } else if (value < 1 << 14) {
                int v = (value << 2) | 1;
                out.write(v & 0xff);
                out.write((v >>> 8) & 0xff);
            } else {
                int v = (value << 2) | 2;
                for (int i = 0; i < 4; i++) {
                    out.write((v >>> (8 * i)) & 0xff);
                }
            }
        }
    }

    static DynamicArray<Uint16> uint16Array(List<Integer> values) {
        return new DynamicArray<>(Uint16.class, values.stream().map(Uint16::new).toList());
    }
}
