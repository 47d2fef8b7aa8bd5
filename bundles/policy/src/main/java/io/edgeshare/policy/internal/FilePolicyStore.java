package io.edgeshare.policy.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code policy.json} (the signed envelope exactly as received) and {@code state.properties} in one
 * directory. Each write goes to a temporary file that is fsynced, atomically renamed over the old one, and
 * the directory fsynced: a crash leaves the old or the new file, never a torn one. Files are owner-only: the
 * policy may carry the AP passphrase.
 */
final class FilePolicyStore implements PolicyStore {
    static final String DOCUMENT = "policy.json";
    static final String STATE = "state.properties";
    static final String BASELINE = "baseline.json";

    private final Path dir;

    FilePolicyStore(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    @Override
    public Optional<byte[]> loadGood() throws IOException {
        try {
            return Optional.of(Files.readAllBytes(dir.resolve(DOCUMENT)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public void saveGood(byte[] document) throws IOException {
        write(DOCUMENT, document);
    }

    @Override
    public Properties loadState() throws IOException {
        Properties p = new Properties();
        try {
            p.load(new StringReader(Files.readString(dir.resolve(STATE), StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            // first start
        }
        return p;
    }

    @Override
    public void saveState(Properties state) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        state.store(out, "EdgeShare policy decisions; written by the policy bundle");
        write(STATE, out.toByteArray());
    }

    @Override
    public Optional<byte[]> loadBaseline() throws IOException {
        try {
            return Optional.of(Files.readAllBytes(dir.resolve(BASELINE)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public void saveBaseline(byte[] baseline) throws IOException {
        write(BASELINE, baseline); // owner-only, like policy.json: it may hold the profile's AP passphrase
    }

    private void write(String name, byte[] bytes) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve(name + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        }
        try {
            Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems cannot sync a directory; the rename itself is still atomic
        }
    }
}
