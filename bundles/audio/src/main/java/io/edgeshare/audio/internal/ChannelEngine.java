package io.edgeshare.audio.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgeshare.audio.internal.fifo.IcyMetadata;
import io.edgeshare.audio.internal.mp3.Mp3Frame;

/**
 * The writer side of the FIFO (claims B2, B5): reads the item the sequencer chooses frame by frame and
 * hands chunks to the sink at real-time pace, timed from the frames' own durations (samples / rate), not
 * from wall-clock guesses. At start it fills up to the start threshold at once so listeners can begin;
 * afterwards each chunk is released when the audio before it has played. When there is nothing to play,
 * or a pipe stalls, it sends silence in the stream's format so players stay connected.
 */
public final class ChannelEngine implements Runnable {

    /** Receives chunks in order; one call per chunk, on the engine thread. */
    public interface Sink {
        void publish(byte[] frames, long durationNanos, IcyMetadata icy);
    }

    /** Counters the engine keeps; read by status and telemetry. */
    public static final class Stats {
        volatile long underruns;
        volatile long silenceNanos;
        volatile long framesSkippedBytes;
        volatile long itemsFailed;
        volatile long resyncs;

        public long underruns() {
            return underruns;
        }

        public long silenceNanos() {
            return silenceNanos;
        }

        public long itemsFailed() {
            return itemsFailed;
        }

        public long resyncs() {
            return resyncs;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ChannelEngine.class);
    private static final long LATE_RESYNC_NANOS = 1_000_000_000L;
    private static final long STALL_GRACE_NANOS = 500_000_000L;

    private final String channel;
    private final Sequencer sequencer;
    private final Supplier<Settings> settings;
    private final Pacer pacer;
    private final Sink sink;
    private final Consumer<String> warnings;
    private final Stats stats = new Stats();
    private volatile boolean running = true;
    private volatile PlayItem playing;
    private volatile long playingStartedNanos;
    private Mp3Frame lastFrame;
    private long due;

    public ChannelEngine(String channel, Sequencer sequencer, Supplier<Settings> settings, Pacer pacer, Sink sink,
            Consumer<String> warnings) {
        this.channel = channel;
        this.sequencer = sequencer;
        this.settings = settings;
        this.pacer = pacer;
        this.sink = sink;
        this.warnings = warnings;
    }

    public Stats stats() {
        return stats;
    }

    public PlayItem playing() {
        return playing;
    }

    public void stop() {
        running = false;
    }

    @Override
    public void run() {
        due = pacer.nanoTime() - settings.get().thresholdNanos(); // prefill up to the start threshold
        int failuresInARow = 0;
        try {
            while (running) {
                PlayItem item = sequencer.next();
                if (item == null) {
                    fillSilence(settings.get().chunkNanos(), IDLE);
                    continue;
                }
                boolean played = play(item);
                sequencer.finished(item, played);
                failuresInARow = played ? 0 : failuresInARow + 1;
                if (failuresInARow >= 3) { // a list of unplayable files must not spin the CPU
                    fillSilence(Math.max(settings.get().chunkNanos(), 500_000_000L), IDLE);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("audio channel {} stopped by an unexpected error", channel, e);
        } finally {
            playing = null;
        }
    }

    private static final IcyMetadata IDLE = new IcyMetadata("", false);

    /** Plays one item to its end; false when it yielded no audio. */
    private boolean play(PlayItem item) throws InterruptedException {
        IcyMetadata icy = new IcyMetadata(item.displayTitle(), item.interstitial());
        playing = item;
        playingStartedNanos = pacer.nanoTime();
        LOG.info("channel {} plays {} {}", channel, item.kind().name().toLowerCase(), item.title());
        long stalledNanos = 0;
        boolean any = false;
        ByteArrayOutputStream chunk = new ByteArrayOutputStream(8192);
        long chunkNanos = 0;
        try (FrameInput in = open(item)) {
            while (running) {
                Settings s = settings.get();
                if (item.kind() == PlayItem.Kind.PIPE && !item.file().equals(s.pipe())) {
                    break; // the pipe was reconfigured away: a pipe has no song end to wait for
                }
                long wait = Math.max(0, due + s.chunkNanos() - pacer.nanoTime()) + STALL_GRACE_NANOS;
                Mp3Frame f = in.next(wait);
                if (f == null) {
                    break;
                }
                if (f == FrameInput.STALLED) {
                    // flush what we have, then cover the gap with silence so listeners stay in step
                    if (chunkNanos > 0) {
                        publish(chunk, chunkNanos, icy);
                        chunkNanos = 0;
                    }
                    stats.underruns++;
                    stalledNanos += s.chunkNanos();
                    if (item.kind() == PlayItem.Kind.PIPE && sequencer.hasRequests() && stalledNanos >= 2 * s.chunkNanos()) {
                        break; // the player paused: let the requested track in
                    }
                    if (s.silenceFill()) {
                        fillSilence(s.chunkNanos(), icy);
                    }
                    continue;
                }
                stalledNanos = 0;
                any = true;
                lastFrame = f;
                chunk.write(f.data(), 0, f.data().length);
                chunkNanos += f.durationNanos();
                if (chunkNanos >= s.chunkNanos()) {
                    publish(chunk, chunkNanos, icy);
                    chunkNanos = 0;
                }
            }
            if (chunkNanos > 0) {
                publish(chunk, chunkNanos, icy);
            }
        } catch (IOException e) {
            warnings.accept("cannot play " + item.file() + ": " + e.getMessage() + " (skipped)");
        } finally {
            playing = null;
        }
        if (!any) {
            stats.itemsFailed++;
            warnings.accept(item.kind().name().toLowerCase() + " " + item.file() + " held no playable audio (skipped)");
        }
        return any;
    }

    private FrameInput open(PlayItem item) throws IOException {
        if (item.kind() == PlayItem.Kind.PIPE) {
            return new PipeInput(item.file(), channel, warnings);
        }
        return new FileInput(item.file(), warnings);
    }

    /** Sends {@code nanos} of silence in the current stream format. */
    private void fillSilence(long nanos, IcyMetadata icy) throws InterruptedException {
        Settings s = settings.get();
        if (!s.silenceFill()) {
            pacer.sleepUntil(pacer.nanoTime() + nanos);
            due = pacer.nanoTime();
            return;
        }
        Mp3Frame silent = lastFrame == null ? Mp3Frame.defaultSilence() : Mp3Frame.silenceLike(lastFrame);
        ByteArrayOutputStream chunk = new ByteArrayOutputStream(8192);
        long acc = 0;
        while (acc < nanos) {
            chunk.write(silent.data(), 0, silent.data().length);
            acc += silent.durationNanos();
        }
        stats.silenceNanos += acc;
        publish(chunk, acc, icy);
    }

    private void publish(ByteArrayOutputStream chunk, long nanos, IcyMetadata icy) throws InterruptedException {
        long now = pacer.nanoTime();
        if (due - now > 0) {
            pacer.sleepUntil(due);
        } else if (now - due > LATE_RESYNC_NANOS) {
            // the machine was stalled (suspend, long GC): do not burst to catch up, restart the timeline
            stats.resyncs++;
            LOG.warn("channel {} was {} ms late, resynchronised", channel, (now - due) / 1_000_000);
            due = now;
        }
        sink.publish(chunk.toByteArray(), nanos, icy);
        chunk.reset();
        due += nanos;
    }

    /** Nanoseconds the current item has been playing. */
    public long playingForNanos() {
        return playing == null ? 0 : pacer.nanoTime() - playingStartedNanos;
    }
}
