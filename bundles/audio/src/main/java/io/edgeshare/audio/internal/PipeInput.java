package io.edgeshare.audio.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.audio.internal.mp3.Mp3Frame;
import io.edgeshare.audio.internal.mp3.Mp3FrameReader;

/**
 * Frames a local player writes into a named pipe (the set-top box case). A reader thread parses the pipe
 * into a small queue; when the queue is full the thread stops reading, so the player is held back to
 * real time by the pipe itself. A writer closing the pipe ends the session (a song switch on the
 * player's side); the pipe is opened again for the next one.
 */
final class PipeInput implements FrameInput {

    private static final Logger LOG = LoggerFactory.getLogger(PipeInput.class);
    private static final Mp3Frame EOF = new Mp3Frame(null, new byte[0]);

    private final Path pipe;
    private final BlockingQueue<Mp3Frame> frames = new ArrayBlockingQueue<>(64);
    private final Thread reader;
    private volatile boolean closed;
    private volatile InputStream stream;

    PipeInput(Path pipe, String channel, Consumer<String> warnings) {
        this.pipe = pipe;
        this.reader = new Thread(() -> read(warnings), "audio-pipe-" + channel);
        reader.setDaemon(true);
        reader.start();
    }

    private void read(Consumer<String> warnings) {
        try (InputStream in = Files.newInputStream(pipe)) { // blocks until a writer opens the pipe
            stream = in;
            if (closed) {
                return;
            }
            LOG.info("pipe {} opened by a writer", pipe);
            Mp3FrameReader r = new Mp3FrameReader(in, pipe.toString(), warnings);
            Mp3Frame f;
            while (!closed && (f = r.next()) != null) {
                frames.put(f);
            }
        } catch (IOException e) {
            if (!closed) {
                warnings.accept("pipe " + pipe + ": " + e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            frames.offer(EOF);
        }
    }

    @Override
    public Mp3Frame next(long waitNanos) throws InterruptedException {
        Mp3Frame f = frames.poll(Math.max(0, waitNanos), TimeUnit.NANOSECONDS);
        if (f == null) {
            return STALLED;
        }
        if (f == EOF) {
            frames.offer(EOF);
            return null;
        }
        return f;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        reader.interrupt();
        frames.clear();
        InputStream s = stream;
        if (s != null) {
            s.close();
        } else if (reader.isAlive()) {
            // the reader may be blocked opening the pipe until a writer comes: become that writer briefly, on
            // a thread of its own since this open blocks too if the reader has just gone
            Thread unblock = new Thread(() -> {
                try (OutputStream out = Files.newOutputStream(pipe, StandardOpenOption.WRITE)) {
                    out.flush();
                } catch (IOException ignored) {
                    // not a FIFO or gone: the reader's open fails by itself
                }
            }, "audio-pipe-unblock");
            unblock.setDaemon(true);
            unblock.start();
        }
    }
}
