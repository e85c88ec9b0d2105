package dev.chorus.chain;

/** The chain refused a setWeights, commitWeights or revealWeights call, for a known {@link Reason}. */
public final class WeightsRejected extends TransactionRejected {

    private final Reason reason;

    public WeightsRejected(Reason reason, TransactionRejected cause) {
        super(cause.getMessage(), cause.action(), cause.errorName(), cause.arguments(), cause.txHash().orElse(null));
        this.reason = reason;
        initCause(cause);
    }

    public Reason reason() {
        return reason;
    }

    /**
     * What an operator should read: the reason's explanation plus the chain's own error name. A node's refusal is the
     * node's words (they name the signer to fund when it is short), and a reason not listed here carries the whole
     * rejection, arguments included, since the explanation alone says nothing an operator can act on.
     */
    public String operatorMessage() {
        return switch (reason) {
            case NODE_REFUSED -> getMessage();
            case OTHER -> reason.explanation() + ": " + getMessage();
            default -> reason.explanation() + " (chain error " + errorName() + txHash().map(h -> ", tx " + h).orElse("") + ")";
        };
    }

    /**
     * Why weights were refused; each maps to the subtensor error of the same meaning, except {@link #NODE_REFUSED} (the
     * node's own refusal) and {@link #OTHER}.
     */
    public enum Reason {
        COMMIT_REVEAL_ENABLED("CommitRevealEnabled", "the subnet uses commit-reveal: commit a hash, then reveal it"),
        ROOT_NETWORK("CanNotSetRootNetworkWeights", "weights cannot be set on the root network (netuid 0)"),
        LENGTH_MISMATCH("WeightVecNotEqualSize", "uids and values have different lengths"),
        SUBNET_MISSING("SubnetNotExists", "no subnet with this netuid exists"),
        TOO_MANY_UIDS("UidsLengthExceedUidsInSubNet", "more weights than the subnet has uids"),
        NOT_REGISTERED("HotKeyNotRegisteredInSubNet", "this hotkey is not registered on the subnet"),
        NOT_ENOUGH_STAKE("NotEnoughStakeToSetWeights", "the hotkey's stake is below the subnet's stake threshold"),
        VERSION_KEY("IncorrectWeightVersionKey", "the version key is below the subnet's weights_version_key; upgrade the validator"),
        RATE_LIMITED("SettingWeightsTooFast", "weights were set too recently; wait weights_rate_limit blocks"),
        NO_VALIDATOR_PERMIT("NeuronNoValidatorPermit", "the hotkey has no validator permit (stake is not among the top validators)"),
        DUPLICATE_UIDS("DuplicateUids", "a uid appears twice in the weight vector"),
        INVALID_UID("UidVecContainInvalidOne", "a uid in the weight vector does not exist on the subnet"),
        TOO_FEW_WEIGHTS("WeightVecLengthIsLow", "fewer weights than the subnet's min_allowed_weights"),
        COMMIT_REVEAL_DISABLED("CommitRevealDisabled", "the subnet does not use commit-reveal: call setWeights"),
        COMMITTING_TOO_FAST("CommittingWeightsTooFast", "a commit was made too recently; wait weights_rate_limit blocks"),
        TOO_MANY_COMMITS("TooManyUnrevealedCommits", "10 commits are already waiting to be revealed"),
        NO_COMMIT("NoWeightsCommitFound", "there is no pending commit to reveal"),
        REVEAL_TOO_EARLY("RevealTooEarly", "the reveal epoch (commit epoch + reveal_period) has not come yet"),
        COMMIT_EXPIRED("ExpiredWeightCommit", "the commit expired: its reveal epoch has passed"),
        HASH_MISMATCH("InvalidRevealCommitHashNotMatch", "the revealed weights, salt or version key do not match any commit"),
        NODE_REFUSED(TransactionRejected.NODE_REFUSED, "the node refused the transaction before it reached the chain; nothing was spent"),
        OTHER("", "the chain refused the weights for another reason");

        private final String errorName;
        private final String explanation;

        Reason(String errorName, String explanation) {
            this.errorName = errorName;
            this.explanation = explanation;
        }

        public String errorName() {
            return errorName;
        }

        public String explanation() {
            return explanation;
        }

        /** The reason for a chain error name; a plain-text revert (Bittensor's precompiles) is matched by the name it contains. */
        public static Reason of(String errorName, String text) {
            for (Reason reason : values()) {
                if (reason != OTHER && reason.errorName.equals(errorName)) {
                    return reason;
                }
            }
            if (text != null) {
                for (Reason reason : values()) {
                    if (reason != OTHER && text.contains(reason.errorName)) {
                        return reason;
                    }
                }
            }
            return OTHER;
        }
    }
}
