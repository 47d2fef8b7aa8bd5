package io.edgeshare.cache.internal;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The store's index on disk: one line per item, fields percent-encoded and tab-separated, a header with
 * the format version and a trailer with the count so a damaged file is recognised. Written whole to a
 * temporary file, forced to disk, then atomically renamed over the old one and the directory forced, so
 * a crash at any moment leaves either the old or the new index, never a mixture.
 */
final class IndexFile {

    static final String HEADER = "edgeshare-cache-index 1";
    private static final String NULL = "~";

    private final Path file;
    private final Path temp;

    IndexFile(Path directory) {
        this.file = directory.resolve("index");
        this.temp = directory.resolve("index.tmp");
    }

    Path path() {
        return file;
    }

    /** The items in the index; empty if there is none yet. */
    List<StoredItem> read() throws IOException {
        Files.deleteIfExists(temp);
        if (!Files.exists(file)) {
            return List.of();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.size() < 2 || !lines.get(0).equals(HEADER)) {
            throw new IOException("not a cache index (bad header): " + file);
        }
        String trailer = lines.get(lines.size() - 1);
        List<StoredItem> items = new ArrayList<>();
        for (String line : lines.subList(1, lines.size() - 1)) {
            items.add(parse(line));
        }
        if (!trailer.equals("end " + items.size())) {
            throw new IOException("cache index truncated or damaged (trailer '" + trailer + "', " + items.size()
                    + " items): " + file);
        }
        return items;
    }

    void write(Collection<StoredItem> items) throws IOException {
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            BufferedWriter out = new BufferedWriter(
                    new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8), 64 * 1024);
            out.write(HEADER);
            out.write('\n');
            for (StoredItem item : items) {
                out.write(format(item));
                out.write('\n');
            }
            out.write("end " + items.size());
            out.write('\n');
            out.flush();
            channel.force(true);
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("file system cannot rename atomically: " + file.getParent(), e);
        }
        forceDirectory(file.getParent());
    }

    /** Makes a rename in {@code directory} durable (Linux allows fsync on a directory opened read-only). */
    static void forceDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // some file systems refuse fsync on directories; the rename itself is still atomic there
        }
    }

    static String format(StoredItem i) {
        return String.join("\t", enc(i.id()), enc(i.sha256()), Long.toString(i.size()), enc(i.title()),
                enc(i.mediaType()), enc(i.category()), Long.toString(i.added().toEpochMilli()), enc(i.originUrl()),
                enc(i.etag()), enc(i.lastModified()), Long.toString(i.freshUntil().toEpochMilli()),
                i.pinned() ? "1" : "0", Long.toString(i.lastAccess().toEpochMilli()));
    }

    static StoredItem parse(String line) throws IOException {
        String[] f = line.split("\t", -1);
        if (f.length != 13) {
            throw new IOException("cache index line has " + f.length + " fields, expected 13");
        }
        try {
            return new StoredItem(dec(f[0]), dec(f[1]), Long.parseLong(f[2]), dec(f[3]), dec(f[4]), dec(f[5]),
                    Instant.ofEpochMilli(Long.parseLong(f[6])), dec(f[7]), dec(f[8]), dec(f[9]),
                    Instant.ofEpochMilli(Long.parseLong(f[10])), f[11].equals("1"),
                    Instant.ofEpochMilli(Long.parseLong(f[12])));
        } catch (RuntimeException e) {
            throw new IOException("bad cache index line: " + e.getMessage(), e);
        }
    }

    private static String enc(String s) {
        return s == null ? NULL : URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String dec(String s) {
        return s.equals(NULL) ? null : URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
