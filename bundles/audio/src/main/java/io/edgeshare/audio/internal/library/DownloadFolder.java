package io.edgeshare.audio.internal.library;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the network catalog keeps downloaded tracks, bounded by a quota. A file's modification time is
 * when it was last played (set on every use), so making room deletes the least recently played first.
 */
public final class DownloadFolder {

    private final Path dir;
    private final long quotaBytes;

    public DownloadFolder(Path dir, long quotaBytes) {
        this.dir = dir;
        this.quotaBytes = quotaBytes;
    }

    Path dir() {
        return dir;
    }

    long quotaBytes() {
        return quotaBytes;
    }

    /** A library hit inside {@code downloadsDir} counts as just played, so the quota keeps it longest. */
    public static void pickedAgain(Path downloadsDir, Path file) {
        if (file != null && file.startsWith(downloadsDir)) {
            new DownloadFolder(downloadsDir, Long.MAX_VALUE).played(file);
        }
    }

    /** Marks a download as just played. */
    void played(Path file) {
        try {
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException e) {
            // only the eviction order suffers
        }
    }

    /** Deletes least recently played downloads (never {@code keep}) until {@code incoming} more bytes fit. */
    synchronized void makeRoom(long incoming, Path keep) throws IOException {
        if (incoming > quotaBytes) {
            throw new IOException("the track is larger than the download quota");
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().endsWith(".mp3") && Files.isRegularFile(p)).forEach(files::add);
        }
        long used = 0;
        for (Path p : files) {
            used += Files.size(p);
        }
        files.sort(Comparator.comparing(DownloadFolder::lastPlayed));
        for (Path p : files) {
            if (used + incoming <= quotaBytes) {
                break;
            }
            if (p.equals(keep)) {
                continue;
            }
            long size = Files.size(p);
            Files.deleteIfExists(p);
            used -= size;
        }
        if (used + incoming > quotaBytes) {
            throw new IOException("the download quota is full");
        }
    }

    private static FileTime lastPlayed(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
