package dev.chorus.scoring.consensus;

/** Why a queried miner gave no answer. The validator maps its transport failures onto these. */
public enum AnswerFailure {
    /** No complete answer before the deadline. */
    TIMEOUT,
    /** Connection refused, reset, or the axon address could not be reached. */
    UNREACHABLE,
    /** An answer arrived but was not a valid response (bad status, bad signature, unparsable body). */
    INVALID_RESPONSE,
    /** The answer exceeded the size limit and was discarded. */
    OVERSIZED
}
