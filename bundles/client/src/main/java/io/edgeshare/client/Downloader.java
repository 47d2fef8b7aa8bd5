package io.edgeshare.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * Downloads one item from the first sharer (in the order given) that delivers a copy matching its SHA-256.
 * Bytes go to {@code OUT.part}; a broken transfer resumes with {@code Range} (also in a later run, from any
 * sharer, since the copies are identical by hash), and only a verified file is renamed to {@code OUT}.
 */
final class Downloader {
    static final int ATTEMPTS_PER_SHARER = 4;
    private final GatewayHttp http;
    private final PrintStream log;
    private final boolean terminal;
    private final long maxBytesPerSecond;

    /** A sharer to try, with the catalog entry it gave for the item. */
    record Candidate(Sharer sharer, CatalogEntry entry) {
    }

    Downloader(GatewayHttp http, PrintStream log, boolean terminal, long maxBytesPerSecond) {
        this.http = http;
        this.log = log;
        this.terminal = terminal;
        this.maxBytesPerSecond = maxBytesPerSecond;
    }

    /** Returns the sharer the verified copy came from. */
    Sharer download(List<Candidate> candidates, String expectedSha, Path out) throws ClientException {
        Path part = out.resolveSibling(out.getFileName() + ".part");
        int corrupt = 0;
        ClientException last = new ClientException(ExitCode.NOT_FOUND, "no sharer holds this item");
        for (Candidate c : candidates) {
            String where = c.sharer().name() + " (" + c.sharer().baseUrl() + ")";
            if (!expectedSha.equals(c.entry().sha256())) {
                log.println("skipped " + where + ": it lists a different SHA-256 for this item");
                continue;
            }
            try {
                fetch(c, part);
            } catch (ClientException e) {
                log.println("failed " + where + ": " + e.getMessage());
                last = e;
                continue;
            }
            String actual = sha256(part);
            if (actual.equals(expectedSha)) {
                move(part, out);
                log.println("verified sha256 " + actual + " from " + where);
                return c.sharer();
            }
            corrupt++;
            log.println("rejected the copy from " + where + ": sha256 " + actual + " is not " + expectedSha);
            delete(part);
        }
        if (corrupt > 0) {
            throw new ClientException(ExitCode.CORRUPT, "every copy found failed its SHA-256 check (" + corrupt
                    + " rejected)");
        }
        throw last;
    }

    private void fetch(Candidate c, Path part) throws ClientException {
        long size = c.entry().size();
        String url = c.sharer().baseUrl() + "/content/" + c.entry().id();
        IOException broken = null;
        for (int attempt = 1; attempt <= ATTEMPTS_PER_SHARER; attempt++) {
            long have = length(part);
            if (have > size) {
                delete(part);
                have = 0;
            }
            if (size >= 0 && have == size) {
                return; // complete from an earlier run: verify it
            }
            HttpRequest.Builder rb = HttpRequest.newBuilder(GatewayHttp.uri(url)).GET();
            if (have > 0) {
                rb.header("Range", "bytes=" + have + "-").header("If-Range", "\"" + c.entry().sha256() + "\"");
                log.println("resuming at byte " + have + " of " + size + " from " + c.sharer().baseUrl());
            } else {
                log.println("downloading " + size + " bytes from " + c.sharer().baseUrl());
            }
            HttpResponse<InputStream> r = http.stream(rb.build());
            int status = r.statusCode();
            try (InputStream in = r.body()) {
                if (status == 200) {
                    have = 0; // the sharer sent the whole item: start over
                } else if (status != 206) {
                    throw new ClientException(GatewayHttp.exitFor(status), url + ": HTTP " + status);
                }
                copy(in, part, have, size, c.entry().title().isEmpty() ? c.entry().id() : c.entry().title());
                return;
            } catch (IOException e) {
                broken = e; // connection lost mid-transfer: resume
                log.println("interrupted after " + length(part) + " bytes (" + e.getClass().getSimpleName()
                        + "), attempt " + attempt + " of " + ATTEMPTS_PER_SHARER);
            }
        }
        throw new ClientException(ExitCode.UNREACHABLE, url + ": transfer kept breaking ("
                + (broken == null ? "?" : broken.getClass().getSimpleName()) + ")");
    }

    private void copy(InputStream in, Path part, long offset, long size, String label) throws IOException {
        Progress progress = new Progress(log, terminal, label, size, offset);
        long startNanos = System.nanoTime();
        long written = offset;
        try (OutputStream os = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                offset == 0 ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND)) {
            byte[] buf = new byte[32 * 1024];
            for (int n; (n = in.read(buf)) > 0;) {
                os.write(buf, 0, n);
                written += n;
                progress.update(written);
                throttle(written - offset, startNanos);
            }
        }
        if (size >= 0 && written < size) {
            throw new IOException("connection closed early");
        }
        progress.done(written);
    }

    /** Keeps the average rate under the limit the user asked for (a shared hotspot's fair share). */
    private void throttle(long bytes, long startNanos) throws IOException {
        if (maxBytesPerSecond <= 0) {
            return;
        }
        long due = (long) (bytes * 1e9 / maxBytesPerSecond) - (System.nanoTime() - startNanos);
        if (due > 0) {
            try {
                Thread.sleep(Duration.ofNanos(due).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
    }

    static String sha256(Path file) throws ClientException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0;) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new ClientException(ExitCode.FAILED, "cannot read " + file + ": " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long length(Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static void move(Path from, Path to) throws ClientException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ClientException(ExitCode.FAILED, "cannot write " + to + ": " + e.getMessage());
        }
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // left behind; the next run truncates or replaces it
        }
    }
}
