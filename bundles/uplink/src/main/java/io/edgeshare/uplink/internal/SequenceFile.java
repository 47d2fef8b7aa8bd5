package io.edgeshare.uplink.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A counter kept on disk so that birth sequence numbers keep increasing across restarts; written to a
 * temporary file and renamed, so a crash leaves either the old or the new value.
 */
final class SequenceFile {
    private final Path file;

    SequenceFile(Path file) {
        this.file = file;
    }

    long next() throws IOException {
        long current = 0;
        if (Files.exists(file)) {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            try {
                current = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new IOException("corrupt sequence file " + file + ": '" + text + "'", e);
            }
        }
        long next = current + 1;
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, Long.toString(next), StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return next;
    }
}
