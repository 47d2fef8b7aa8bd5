package io.edgeshare.audio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.edgeshare.audio.internal.mp3.FrameHeader;

/** Pacing with a simulated clock: chunks are released exactly when the audio before them has played. */
class ChannelEngineTest {

    @TempDir
    Path dir;

    /** A clock that only moves when the engine sleeps; stops the engine after {@code limit} of audio. */
    static final class SimulatedPacer implements Pacer {
        long now = 1_000_000_000_000L;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepUntil(long deadline) {
            if (deadline > now) {
                now = deadline;
            }
        }
    }

    record Published(long at, long nanos, String title, int bytes, int frames) {
    }

    private List<Published> run(Settings s, long audioNanos, List<String> warnings) {
        SimulatedPacer pacer = new SimulatedPacer();
        long start = pacer.now;
        List<Published> out = new ArrayList<>();
        Sequencer seq = new Sequencer(new Random(1), warnings::add);
        seq.configure(s);
        ChannelEngine[] engine = new ChannelEngine[1];
        long[] total = new long[1];
        engine[0] = new ChannelEngine("t", seq, () -> s, pacer, (frames, nanos, icy) -> {
            int count = 0;
            for (int off = 0; off < frames.length;) {
                off += FrameHeader.parse(frames, off).length();
                count++;
            }
            out.add(new Published(pacer.now - start, nanos, icy.title(), frames.length, count));
            total[0] += nanos;
            if (total[0] >= audioNanos) {
                engine[0].stop();
            }
        }, warnings::add);
        engine[0].run();
        return out;
    }

    @Test
    void chunksAreReleasedAtRealTimeDerivedFromFrameDurations() throws Exception {
        Path m = Files.createDirectories(dir.resolve("m"));
        // two formats whose frames last 26.12 ms and 26.12 ms (576 samples at 22.05 kHz)... and 24 ms at 48 kHz
        TestAudio.write(m.resolve("a.mp3"), TestAudio.frames(TestAudio.MPEG1_128K, 40));
        TestAudio.write(m.resolve("b.mp3"), TestAudio.frames(0xFFFB9444, 50)); // MPEG-1 48 kHz: 24 ms frames
        Settings s = SequencerTest.settings(m, null, 0);
        List<String> warnings = new ArrayList<>();
        List<Published> out = run(s, 2_000_000_000L, warnings); // a, then part of b
        long threshold = s.thresholdNanos();
        long audio = 0;
        for (Published p : out) {
            long expected = Math.max(0, audio - threshold);
            assertEquals(expected, p.at(), "chunk released when the audio before it has played, minus the prefill");
            assertTrue(p.nanos() >= s.chunkNanos() || p.title().equals("a") || p.title().equals("b"));
            audio += p.nanos();
        }
        long sumA = out.stream().filter(p -> p.title().equals("a")).mapToLong(Published::nanos).sum();
        assertEquals(40 * (1152 * 1_000_000_000L / 44100), sumA, "a's frames: 26.122 ms each");
        long bFrames = out.stream().filter(p -> p.title().equals("b")).mapToInt(Published::frames).sum();
        long sumB = out.stream().filter(p -> p.title().equals("b")).mapToLong(Published::nanos).sum();
        assertEquals(bFrames * 24_000_000L, sumB, "b's frames: 24 ms each");
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void aCorruptOrEmptyFileIsSkippedWithAWarningAndTheChannelKeepsPlaying() throws Exception {
        Path m = Files.createDirectories(dir.resolve("m"));
        TestAudio.write(m.resolve("1-good.mp3"), TestAudio.frames(TestAudio.MPEG1_128K, 20));
        byte[] junk = new byte[5000];
        new Random(5).nextBytes(junk);
        TestAudio.write(m.resolve("2-junk.mp3"), junk);
        TestAudio.write(m.resolve("3-good.mp3"), TestAudio.frames(TestAudio.MPEG1_128K, 20));
        List<String> warnings = new ArrayList<>();
        List<Published> out = run(SequencerTest.settings(m, null, 0), 1_500_000_000L, warnings);
        assertTrue(out.stream().anyMatch(p -> p.title().equals("3-good")), "played on after the junk file");
        assertTrue(warnings.stream().anyMatch(w -> w.contains("2-junk.mp3")), warnings.toString());
        long audio = 0;
        for (Published p : out) {
            assertEquals(Math.max(0, audio - 1_000_000_000L), p.at(), "no gap where the junk file was");
            audio += p.nanos();
        }
    }

    @Test
    void nothingToPlayGivesSilenceInTheStreamFormatSoListenersStay() throws Exception {
        Path m = Files.createDirectories(dir.resolve("empty"));
        List<Published> out = run(SequencerTest.settings(m, null, 0), 1_000_000_000L, new ArrayList<>());
        assertTrue(out.size() >= 4);
        assertTrue(out.stream().allMatch(p -> p.title().isEmpty() && p.frames() > 0));
    }
}
