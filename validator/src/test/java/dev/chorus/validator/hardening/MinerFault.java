package dev.chorus.validator.hardening;

import dev.chorus.miner.client.MinerAnswer.Failure;

/** One way a miner can misbehave on the wire, and the failure kind the validator must record for it. */
enum MinerFault {
    REFUSED(Failure.REFUSED),
    RESET_MID_RESPONSE(Failure.CONNECTION_LOST),
    TIMEOUT(Failure.TIMEOUT),
    SLOW_LORIS(Failure.TIMEOUT),
    HTTP_500(Failure.HTTP_STATUS),
    MALFORMED_JSON(Failure.MALFORMED),
    DEEPLY_NESTED_JSON(Failure.MALFORMED),
    INVALID_UTF8(Failure.MALFORMED),
    BODY_50MB(Failure.OVERSIZE),
    WRONG_SIGNATURE(Failure.BAD_SIGNATURE),
    REPLAYED_RESPONSE(Failure.BAD_SIGNATURE);

    final Failure expected;

    MinerFault(Failure expected) {
        this.expected = expected;
    }
}
