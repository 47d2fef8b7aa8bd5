package io.edgeshare.platform.policy.internal;

/**
 * An operator request that cannot be served: the HTTP status, a stable code and one clear line for the
 * client (never exception text).
 */
final class RequestException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;

    RequestException(int status, String message) {
        this(status, codeOf(status), message);
    }

    RequestException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    private static String codeOf(int status) {
        return switch (status) {
            case 400 -> "invalid-request";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 413 -> "body-too-large";
            case 503 -> "broker-unavailable";
            default -> "internal-error";
        };
    }
}
