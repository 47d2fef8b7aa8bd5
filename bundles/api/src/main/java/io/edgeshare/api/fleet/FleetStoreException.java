package io.edgeshare.api.fleet;

/** The store could not do what was asked (database unreachable, not migrated yet, or failed). */
public class FleetStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FleetStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
