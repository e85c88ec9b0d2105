package dev.chorus.chain.yuma;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * A subnet's epoch-relevant storage driven the way subtensor's pallet tests drive it: neurons
 * register at the current block, {@code set_weights} stores max-upscaled rows and stamps
 * {@code last_update}, and each epoch persists its new permits and bonds. Direct {@code epoch()}
 * calls in those tests never touch {@code LastMechansimStepBlock}, so it stays 0 here too.
 */
final class SubnetScenario {

    long block;
    int tempo;
    int kappa = 32767;
    int bondsPenalty = 65535;
    long bondsMovingAverage = 900_000;
    int maxAllowedValidators = 64;
    long minStake;
    OptionalInt ownerUid = OptionalInt.empty();
    boolean yuma3;
    boolean liquidAlpha;
    int alphaLow = 45875;
    int alphaHigh = 58982;
    int alphaSigmoidSteepness = 1000;
    long activityCutoffFactorMilli = 13_889;

    final List<Long> stake = new ArrayList<>();
    final List<Boolean> permit = new ArrayList<>();
    final List<Long> lastUpdate = new ArrayList<>();
    final List<Long> registeredAt = new ArrayList<>();
    /** Each uid's oldest live weight commit, {@link YumaInput#NO_COMMIT} if none (commit-reveal off). */
    final List<Long> commitBlock = new ArrayList<>();
    final List<SparseRow> weights = new ArrayList<>();
    final List<SparseRow> bonds = new ArrayList<>();

    SubnetScenario(long block, int tempo) {
        this.block = block;
        this.tempo = tempo;
    }

    int n() {
        return stake.size();
    }

    /** {@code append_neuron}: a new uid registered at the current block. */
    int register(long stakeAmount) {
        stake.add(stakeAmount);
        permit.add(false);
        lastUpdate.add(block);
        registeredAt.add(block);
        commitBlock.add(YumaInput.NO_COMMIT);
        weights.add(SparseRow.EMPTY);
        bonds.add(SparseRow.EMPTY);
        return n() - 1;
    }

    /** {@code replace_neuron} + {@code clear_neuron}: a new hotkey takes over {@code uid} at the current block. */
    void replace(int uid, long stakeAmount) {
        stake.set(uid, stakeAmount);
        permit.set(uid, false);
        lastUpdate.set(uid, block);
        registeredAt.set(uid, block);
        commitBlock.set(uid, YumaInput.NO_COMMIT);
        weights.set(uid, SparseRow.EMPTY);
        bonds.set(uid, SparseRow.EMPTY);
        for (int i = 0; i < n(); i++) {
            SparseRow row = weights.get(i);
            int[] values = row.values().clone();
            for (int k = 0; k < row.size(); k++) {
                if (row.uids()[k] == uid) {
                    values[k] = 0;
                }
            }
            weights.set(i, new SparseRow(row.uids(), values));
        }
    }

    /** {@code set_weights} with commit-reveal off: max-upscaled values, {@code last_update} = now. */
    void setWeights(int uid, int[] uids, int[] values) {
        weights.set(uid, new SparseRow(uids.clone(), StoredWeights.maxUpscale(values)));
        lastUpdate.set(uid, block);
    }

    void runToBlock(long target) {
        block = Math.max(block, target);
    }

    void nextBlock() {
        block++;
    }

    long activityCutoff() {
        return Math.max(1, activityCutoffFactorMilli * tempo / 1000);
    }

    YumaInput input(long raoEmission) {
        int n = n();
        long[] stakes = new long[n];
        boolean[] permits = new boolean[n];
        long[] updates = new long[n];
        long[] registered = new long[n];
        long[] commits = new long[n];
        for (int i = 0; i < n; i++) {
            commits[i] = commitBlock.get(i);
            stakes[i] = stake.get(i);
            permits[i] = permit.get(i);
            updates[i] = lastUpdate.get(i);
            registered[i] = registeredAt.get(i);
        }
        return new YumaInput(n, block, tempo, activityCutoff(), 0, raoEmission, kappa, bondsPenalty,
                bondsMovingAverage, maxAllowedValidators, minStake, ownerUid, yuma3, liquidAlpha, alphaLow, alphaHigh,
                alphaSigmoidSteepness, stakes, permits, updates, registered, commits, weights, bonds);
    }

    /** {@code SubtensorModule::epoch}: runs one epoch and persists the stored permits and bonds. */
    YumaOutput epoch(long raoEmission) {
        YumaOutput out = YumaEpoch.run(input(raoEmission));
        for (int i = 0; i < n(); i++) {
            permit.set(i, out.validatorPermit()[i]);
            bonds.set(i, out.bonds().get(i));
        }
        return out;
    }

    /** The stored bond of validator i toward uid j, 0 when absent (as {@code get_bonds} densifies it). */
    int bond(int i, int j) {
        SparseRow row = bonds.get(i);
        int value = 0;
        for (int k = 0; k < row.size(); k++) {
            if (row.uids()[k] == j) {
                value = row.values()[k];
            }
        }
        return value;
    }

    static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int k = 0; k < r.length; k++) {
            r[k] = from + k;
        }
        return r;
    }
}
