package io.edgeshare.ap.internal;

/** A backend could not do what was asked; the message is for the operator (never holds a passphrase). */
final class RadioException extends Exception {
    private static final long serialVersionUID = 1L;

    RadioException(String message) {
        super(message);
    }

    RadioException(String message, Throwable cause) {
        super(message, cause);
    }
}
