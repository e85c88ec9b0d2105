package dev.chorus.chain.web3j;

import dev.chorus.chain.yuma.SparseRow;
import dev.chorus.chain.yuma.YumaInput;
import dev.chorus.chain.yuma.YumaOutput;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.web3j.utils.Numeric;

/**
 * The YumaEpoch contract's {@code run(Params, Neurons)} ABI: a {@link YumaInput} as call data and
 * the returned {@code Output} tuple as a {@link YumaOutput}.
 */
final class YumaEpochAbi {

    static final String RUN_SIGNATURE = "run((uint16,uint64,uint16,uint64,uint64,uint64,uint16,uint16,uint64,uint16,uint64,"
            + "bool,uint16,bool,bool,uint16,uint16,int16),(uint64[],bool[],uint64[],uint64[],uint64[],uint16[][],uint16[][],uint16[][],"
            + "uint16[][]))";
    private static final int PARAMS_WORDS = 18;
    private static final int OUTPUT_FIELDS = 12;

    private YumaEpochAbi() {
    }

    static String encodeRun(YumaInput in) {
        Words call = new Words();
        call.unsigned(in.n());
        call.unsigned(in.block());
        call.unsigned(in.tempo());
        call.unsigned(in.activityCutoff());
        call.unsigned(in.lastMechanismStepBlock());
        call.unsigned(in.raoEmission());
        call.unsigned(in.kappa());
        call.unsigned(in.bondsPenalty());
        call.unsigned(in.bondsMovingAverage());
        call.unsigned(in.maxAllowedValidators());
        call.unsigned(in.minStake());
        call.bool(in.ownerUid().isPresent());
        call.unsigned(in.ownerUid().orElse(0));
        call.bool(in.yuma3());
        call.bool(in.liquidAlpha());
        call.unsigned(in.alphaLow());
        call.unsigned(in.alphaHigh());
        call.signed(in.alphaSigmoidSteepness());
        call.unsigned((PARAMS_WORDS + 1) * 32L);

        List<Words> fields = new ArrayList<>();
        fields.add(Words.array(in.stake()));
        fields.add(Words.array(in.validatorPermit()));
        fields.add(Words.array(in.lastUpdate()));
        fields.add(Words.array(in.blockAtRegistration()));
        fields.add(Words.array(in.commitBlock()));
        fields.add(Words.rows(in.weights(), true));
        fields.add(Words.rows(in.weights(), false));
        fields.add(Words.rows(in.bonds(), true));
        fields.add(Words.rows(in.bonds(), false));
        call.append(Words.tuple(fields));
        return Calldata.selector(RUN_SIGNATURE) + Numeric.toHexStringNoPrefix(call.bytes());
    }

    static YumaOutput decodeRun(String hex) {
        ReturnData data = new ReturnData(hex);
        int tuple = data.dynamicStart(0);
        int[] start = new int[OUTPUT_FIELDS];
        for (int f = 0; f < OUTPUT_FIELDS; f++) {
            start[f] = tuple + data.uint(tuple + f).intValueExact() / 32;
        }
        List<SparseRow> bonds = new ArrayList<>();
        int n = data.uint(start[10]).intValueExact();
        for (int i = 0; i < n; i++) {
            int[] uids = ints(data, start[10] + 1 + data.uint(start[10] + 1 + i).intValueExact() / 32);
            int[] values = ints(data, start[11] + 1 + data.uint(start[11] + 1 + i).intValueExact() / 32);
            bonds.add(new SparseRow(uids, values));
        }
        return new YumaOutput(bools(data, start[0]), bools(data, start[1]), ints(data, start[2]), ints(data, start[3]),
                ints(data, start[4]), ints(data, start[5]), ints(data, start[6]), longs(data, start[7]),
                longs(data, start[8]), longs(data, start[9]), bonds);
    }

    private static int[] ints(ReturnData data, int start) {
        int[] out = new int[data.uint(start).intValueExact()];
        for (int i = 0; i < out.length; i++) {
            out[i] = data.uint(start + 1 + i).intValueExact();
        }
        return out;
    }

    private static long[] longs(ReturnData data, int start) {
        long[] out = new long[data.uint(start).intValueExact()];
        for (int i = 0; i < out.length; i++) {
            out[i] = data.uint64(start + 1 + i);
        }
        return out;
    }

    private static boolean[] bools(ReturnData data, int start) {
        boolean[] out = new boolean[data.uint(start).intValueExact()];
        for (int i = 0; i < out.length; i++) {
            out[i] = data.bool(start + 1 + i);
        }
        return out;
    }

    /** ABI words under construction. */
    private static final class Words {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void unsigned(long value) {
            out.writeBytes(new byte[24]);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (value >>> shift));
            }
        }

        void signed(long value) {
            byte fill = (byte) (value < 0 ? 0xFF : 0);
            for (int i = 0; i < 24; i++) {
                out.write(fill);
            }
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (value >>> shift));
            }
        }

        void bool(boolean value) {
            unsigned(value ? 1 : 0);
        }

        void append(Words other) {
            out.writeBytes(other.bytes());
        }

        int size() {
            return out.size();
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        static Words array(long[] values) {
            Words w = new Words();
            w.unsigned(values.length);
            for (long v : values) {
                w.unsigned(v);
            }
            return w;
        }

        static Words array(boolean[] values) {
            Words w = new Words();
            w.unsigned(values.length);
            for (boolean v : values) {
                w.bool(v);
            }
            return w;
        }

        static Words rows(List<SparseRow> rows, boolean uids) {
            List<Words> inner = new ArrayList<>(rows.size());
            for (SparseRow row : rows) {
                int[] source = uids ? row.uids() : row.values();
                Words w = new Words();
                w.unsigned(source.length);
                for (int v : source) {
                    w.unsigned(v);
                }
                inner.add(w);
            }
            Words w = new Words();
            w.unsigned(rows.size());
            w.append(tuple(inner));
            return w;
        }

        /** Offsets (from the tuple's start) followed by the dynamic parts: a tuple of dynamic values, or an array's body. */
        static Words tuple(List<Words> parts) {
            Words w = new Words();
            long offset = parts.size() * 32L;
            for (Words part : parts) {
                w.unsigned(offset);
                offset += part.size();
            }
            for (Words part : parts) {
                w.append(part);
            }
            return w;
        }
    }
}
