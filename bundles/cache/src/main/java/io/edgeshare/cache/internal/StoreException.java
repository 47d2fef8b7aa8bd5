package io.edgeshare.cache.internal;

import java.io.IOException;

/** Admission refused or failed for a reason a client can be told; {@link #reason()} is a stable code. */
class StoreException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    StoreException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    StoreException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** e.g. {@code disk-full}, {@code quota-full}, {@code too-large}, {@code verification-failed}. */
    String reason() {
        return reason;
    }
}
