// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @title substrate-fixed's I32F32 as subtensor's epoch uses it.
/// @notice Values are the raw i64 bits (value = bits / 2^32) held in int256, so the 128-bit
/// products and shifted dividends of the Rust crate are native. Multiplication floors (arithmetic
/// shift), division truncates toward zero, safeDiv gives 0 on division by zero and on overflow,
/// saturating operations clamp to the i64 range. Bodies are unchecked: operands are i64, so sums
/// and products stay far inside int256 and only the i64 results need clamping.
library YumaFixed {
    int256 internal constant ONE = 1 << 32;
    int256 internal constant MAX = type(int64).max;
    int256 internal constant MIN = type(int64).min;
    int256 internal constant U16_MAX = 65535 << 32;
    /// consts::E narrowed to I9F23, which exp(1) returns verbatim.
    int256 internal constant E_I9F23 = 22802600 << 9;
    int256 internal constant EXP_BOUND = 20 << 32;

    function clamp64(int256 v) internal pure returns (int256) {
        unchecked {
            return v > MAX ? MAX : (v < MIN ? MIN : v);
        }
    }

    /// Rust's unchecked i64 addition as a release runtime does it: two's-complement wrap.
    function wrap64(int256 v) internal pure returns (int256) {
        unchecked {
            return int256(int64(v));
        }
    }

    function add(int256 a, int256 b) internal pure returns (int256) {
        unchecked {
            return clamp64(a + b);
        }
    }

    function sub(int256 a, int256 b) internal pure returns (int256) {
        unchecked {
            return clamp64(a - b);
        }
    }

    function mul(int256 a, int256 b) internal pure returns (int256) {
        unchecked {
            return clamp64((a * b) >> 32);
        }
    }

    /// checked_mul(..).unwrap_or_default()
    function mulOrZero(int256 a, int256 b) internal pure returns (int256) {
        unchecked {
            int256 r = (a * b) >> 32;
            return r > MAX || r < MIN ? int256(0) : r;
        }
    }

    function safeDiv(int256 a, int256 b) internal pure returns (int256) {
        unchecked {
            if (b == 0) {
                return 0;
            }
            int256 q = (a << 32) / b;
            return q > MAX || q < MIN ? int256(0) : q;
        }
    }

    function saturatingDiv(int256 a, int256 b) internal pure returns (int256) {
        unchecked {
            return clamp64((a << 32) / b);
        }
    }

    /// saturating_to_num::<u16>(): floor, clamped to 0..65535.
    function toU16(int256 bits) internal pure returns (uint16) {
        unchecked {
            if (bits < 0) {
                return 0;
            }
            int256 whole = bits >> 32;
            return whole > 65535 ? 65535 : uint16(uint256(whole));
        }
    }

    /// fixed_proportion_to_u16: floor(x * 65535).
    function proportionToU16(int256 bits) internal pure returns (uint16) {
        unchecked {
            return toU16(mul(bits, U16_MAX));
        }
    }

    function u16Proportion(uint256 value) internal pure returns (int256) {
        unchecked {
            return safeDiv(int256(value) << 32, U16_MAX);
        }
    }

    /// transcendental::exp: 1 + x + the next thirty Taylor terms; ok is false where Rust returns Err.
    function exp(int256 x) internal pure returns (int256 result, bool ok) {
        unchecked {
            if (x == 0) {
                return (ONE, true);
            }
            if (x == ONE) {
                return (E_I9F23, true);
            }
            bool negative = x < 0;
            if (negative) {
                x = -x;
            }
            result = x + ONE;
            if (result > MAX) {
                return (0, false);
            }
            int256 term = x;
            for (int256 i = 2; i < 32 && term != 0; i++) {
                term = (term * x) >> 32;
                if (term > MAX) {
                    return (0, false);
                }
                term = term / i;
                result += term;
                if (result > MAX) {
                    return (0, false);
                }
            }
            if (negative) {
                result = (ONE << 32) / result;
                if (result > MAX) {
                    return (0, false);
                }
            }
            return (result, true);
        }
    }

    /// subtensor's exp_safe: input clamped to [-20, 20], Err mapped to 0 or MAX.
    function expSafe(int256 x) internal pure returns (int256) {
        unchecked {
            int256 clamped = x < -EXP_BOUND ? -EXP_BOUND : (x > EXP_BOUND ? EXP_BOUND : x);
            (int256 value, bool ok) = exp(clamped);
            if (ok) {
                return value;
            }
            return clamped <= 0 ? int256(0) : MAX;
        }
    }
}
