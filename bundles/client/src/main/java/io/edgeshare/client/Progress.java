package io.edgeshare.client;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Download progress on stderr: a bar redrawn in place with rate and time left on a terminal, or a plain line
 * every second otherwise (logs, pipes, tests).
 */
final class Progress {
    private static final int WIDTH = 24;
    private final PrintStream out;
    private final boolean terminal;
    private final String label;
    private final long total;
    private final long startBytes;
    private final long startNanos = System.nanoTime();
    private long lastDraw;

    Progress(PrintStream out, boolean terminal, String label, long total, long startBytes) {
        this.out = out;
        this.terminal = terminal;
        this.label = label;
        this.total = total;
        this.startBytes = startBytes;
    }

    void update(long bytes) {
        long now = System.nanoTime();
        if (now - lastDraw < (terminal ? 100_000_000L : 1_000_000_000L)) {
            return;
        }
        lastDraw = now;
        draw(bytes, now);
    }

    void done(long bytes) {
        draw(bytes, System.nanoTime());
        if (terminal) {
            out.println();
        }
    }

    private void draw(long bytes, long now) {
        double seconds = Math.max(1e-3, (now - startNanos) / 1e9);
        double rate = (bytes - startBytes) / seconds;
        String eta = total > 0 && rate > 0 ? clock((long) ((total - bytes) / rate)) : "--:--";
        int pct = total > 0 ? (int) Math.min(100, bytes * 100 / total) : 0;
        if (terminal) {
            int filled = total > 0 ? (int) (WIDTH * Math.min(1.0, (double) bytes / total)) : 0;
            String bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
            out.print(String.format(Locale.ROOT, "\r%s [%s] %3d%% %s/%s %s/s ETA %s ", label, bar, pct, size(bytes),
                    size(total), size((long) rate), eta));
        } else {
            out.println(String.format(Locale.ROOT, "progress %s %d%% %d/%d bytes %d B/s eta %s", label, pct, bytes,
                    total, (long) rate, eta));
        }
        out.flush();
    }

    static String size(long n) {
        if (n >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.1f GB", n / 1e9);
        }
        if (n >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.1f MB", n / 1e6);
        }
        if (n >= 1_000L) {
            return String.format(Locale.ROOT, "%.0f kB", n / 1e3);
        }
        return n + " B";
    }

    static String clock(long seconds) {
        return seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60,
                seconds % 60) : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
