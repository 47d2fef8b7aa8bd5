package io.edgeshare.client;

/** A failure the client reports as one line on stderr, exiting with {@link #exitCode()}. */
public final class ClientException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public ClientException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
