package io.edgeshare.audio.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import io.edgeshare.audio.internal.mp3.Mp3Frame;
import io.edgeshare.audio.internal.mp3.Mp3FrameReader;

/** Frames of an MP3 file; never stalls. */
final class FileInput implements FrameInput {

    private final Mp3FrameReader reader;

    FileInput(Path file, Consumer<String> warnings) throws IOException {
        reader = new Mp3FrameReader(new BufferedInputStream(Files.newInputStream(file), 64 * 1024),
                file.getFileName().toString(), warnings);
    }

    @Override
    public Mp3Frame next(long waitNanos) throws IOException {
        return reader.next();
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
