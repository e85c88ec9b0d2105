package dev.chorus.chain.yuma;

import java.util.List;

/**
 * A square sparse matrix of I32F32 bits as subtensor keeps it: row i is a list of
 * {@code (column, value)} entries in insertion order (not necessarily sorted, duplicates kept).
 * Rows are immutable once built; every operation returns a new matrix.
 */
final class SparseMatrix {

    private static final int[] NO_COLS = new int[0];
    private static final long[] NO_VALS = new long[0];

    final int[][] cols;
    final long[][] vals;

    SparseMatrix(int[][] cols, long[][] vals) {
        this.cols = cols;
        this.vals = vals;
    }

    static SparseMatrix empty(int rows) {
        int[][] cols = new int[rows][];
        long[][] vals = new long[rows][];
        for (int i = 0; i < rows; i++) {
            cols[i] = NO_COLS;
            vals[i] = NO_VALS;
        }
        return new SparseMatrix(cols, vals);
    }

    int rows() {
        return cols.length;
    }

    /** Stored u16 rows as integer-valued I32F32; with {@code dropColumnsFrom >= 0}, entries at or beyond it are skipped. */
    static SparseMatrix ofStoredRows(List<SparseRow> rows, int dropColumnsFrom, boolean asProportion) {
        int n = rows.size();
        int[][] cols = new int[n][];
        long[][] vals = new long[n][];
        for (int i = 0; i < n; i++) {
            SparseRow row = rows.get(i);
            int kept = 0;
            for (int k = 0; k < row.size(); k++) {
                if (dropColumnsFrom < 0 || row.uids()[k] < dropColumnsFrom) {
                    kept++;
                }
            }
            int[] c = new int[kept];
            long[] v = new long[kept];
            int at = 0;
            for (int k = 0; k < row.size(); k++) {
                if (dropColumnsFrom < 0 || row.uids()[k] < dropColumnsFrom) {
                    c[at] = row.uids()[k];
                    long value = (long) row.values()[k] << 32;
                    v[at++] = asProportion ? I32F32.safeDiv(value, I32F32.U16_MAX) : value;
                }
            }
            cols[i] = c;
            vals[i] = v;
        }
        return new SparseMatrix(cols, vals);
    }

    /** A copy of row i keeping only entries whose flag in {@code keep} is set. */
    void setFiltered(int i, int[] c, long[] v, boolean[] keep, int kept) {
        int[] nc = new int[kept];
        long[] nv = new long[kept];
        int at = 0;
        for (int k = 0; k < c.length; k++) {
            if (keep[k]) {
                nc[at] = c[k];
                nv[at++] = v[k];
            }
        }
        cols[i] = nc;
        vals[i] = nv;
    }

    SparseMatrix copy() {
        int n = rows();
        int[][] c = new int[n][];
        long[][] v = new long[n][];
        for (int i = 0; i < n; i++) {
            c[i] = cols[i];
            v[i] = vals[i].clone();
        }
        return new SparseMatrix(c, v);
    }

    static int[] noCols() {
        return NO_COLS;
    }

    static long[] noVals() {
        return NO_VALS;
    }
}
