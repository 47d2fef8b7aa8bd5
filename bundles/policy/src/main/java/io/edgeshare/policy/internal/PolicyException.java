package io.edgeshare.policy.internal;

/**
 * Why a document cannot be applied: a stable machine-readable {@code code} (listed in docs/policy.md) and a
 * detail for the operator.
 */
final class PolicyException extends Exception {
    private static final long serialVersionUID = 1L;

    static final String MALFORMED = "malformed";
    static final String UNSIGNED = "unsigned";
    static final String NO_KEY = "no-key";
    static final String UNKNOWN_KEY = "unknown-key";
    static final String BAD_SIGNATURE = "bad-signature";
    static final String INVALID = "invalid";
    static final String NOT_ADDRESSED = "not-addressed";
    static final String EXPIRED = "expired";
    static final String OLDER = "older";
    static final String REPLAYED = "replayed";
    static final String APPLY_FAILED = "apply-failed";
    static final String HEALTH_FAILED = "health-failed";
    static final String OVER_BUDGET = "over-budget";

    private final String code;

    PolicyException(String code, String detail) {
        super(detail);
        this.code = code;
    }

    String code() {
        return code;
    }

    /** {@code code: detail}, as reported in PolicyState.reason. */
    String reason() {
        return code + ": " + getMessage();
    }
}
