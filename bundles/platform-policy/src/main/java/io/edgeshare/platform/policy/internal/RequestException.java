package io.edgeshare.platform.policy.internal;

/** An operator request that cannot be served, with the HTTP status that says why. */
final class RequestException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    RequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
