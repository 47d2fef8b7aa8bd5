package io.edgeshare.client;

/** The exit codes a script can rely on (README, "The client"). */
public final class ExitCode {
    /** Done. */
    public static final int OK = 0;
    /** Something unexpected (a bug, a full disk): the one-line error says what. */
    public static final int FAILED = 1;
    /** Wrong command line. */
    public static final int USAGE = 2;
    /** No sharer has the item, no such channel, no song matches. */
    public static final int NOT_FOUND = 3;
    /** No gateway or sharer answered (network down, wrong address, timeout). */
    public static final int UNREACHABLE = 4;
    /** Every copy found failed its SHA-256 check (nothing was kept). */
    public static final int CORRUPT = 5;
    /** The gateway refused: sharing off, approval declined, channel or queue full, not allowed. */
    public static final int REFUSED = 6;

    private ExitCode() {
    }
}
