package io.edgeshare.audio.internal.mp3;

import static io.edgeshare.audio.internal.TestAudio.MPEG1_128K;
import static io.edgeshare.audio.internal.TestAudio.MPEG2_64K;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.edgeshare.audio.internal.TestAudio;

class Mp3FrameReaderTest {

    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();

    private List<Mp3Frame> readAll(byte[] data) throws IOException {
        List<Mp3Frame> out = new ArrayList<>();
        try (Mp3FrameReader r = new Mp3FrameReader(new ByteArrayInputStream(data), "test", warnings::add)) {
            Mp3Frame f;
            while ((f = r.next()) != null) {
                out.add(f);
            }
        }
        return out;
    }

    private List<Mp3Frame> readAll(Path file) throws IOException {
        return readAll(Files.readAllBytes(file));
    }

    private static double seconds(List<Mp3Frame> frames) {
        return frames.stream().mapToLong(Mp3Frame::durationNanos).sum() / 1e9;
    }

    @Test
    void headerFieldsOfKnownHeaders() {
        FrameHeader h = FrameHeader.parse(MPEG1_128K);
        assertEquals(1, h.version());
        assertEquals(3, h.layer());
        assertEquals(128, h.bitrateKbps());
        assertEquals(44100, h.sampleRate());
        assertEquals(417, h.length());
        assertEquals(1152, h.samples());
        assertEquals(26_122_448L, h.durationNanos());
        FrameHeader v2 = FrameHeader.parse(MPEG2_64K);
        assertEquals(2, v2.version());
        assertEquals(22050, v2.sampleRate());
        assertEquals(576, v2.samples());
        assertEquals(72 * 64000 / 22050, v2.length());
        assertNull(FrameHeader.parse(0xFFFB0044), "free format is not supported");
        assertNull(FrameHeader.parse(0xFFFBF044), "bitrate index 15 is invalid");
        assertNull(FrameHeader.parse(0xFFFB9C44), "sample rate index 3 is reserved");
        assertNull(FrameHeader.parse(0xFFEB9044), "MPEG version bits 01 are reserved");
    }

    @Test
    void synthesisedStreamGivesEveryFrameAndExactDuration() throws IOException {
        List<Mp3Frame> frames = readAll(TestAudio.frames(MPEG1_128K, 100));
        assertEquals(100, frames.size());
        assertEquals(100 * 1152 / 44100.0, seconds(frames), 1e-6);
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void id3v2TagIsSkippedWithoutWarning() throws IOException {
        byte[] tag = new byte[10 + 3000];
        tag[0] = 'I';
        tag[1] = 'D';
        tag[2] = '3';
        tag[3] = 4;
        int size = 3000;
        tag[6] = (byte) ((size >> 21) & 0x7F);
        tag[7] = (byte) ((size >> 14) & 0x7F);
        tag[8] = (byte) ((size >> 7) & 0x7F);
        tag[9] = (byte) (size & 0x7F);
        // the tag body holds bytes that look like frame syncs: they must not be taken for audio
        byte[] fake = TestAudio.frame(MPEG1_128K);
        System.arraycopy(fake, 0, tag, 100, 4);
        System.arraycopy(fake, 0, tag, 517, 4);
        byte[] v1 = new byte[128];
        v1[0] = 'T';
        v1[1] = 'A';
        v1[2] = 'G';
        List<Mp3Frame> frames = readAll(concat(tag, TestAudio.frames(MPEG1_128K, 10), v1));
        assertEquals(10, frames.size());
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void corruptBytesInTheMiddleAreSkippedWithAWarningAndReadingContinues() throws IOException {
        byte[] junk = new byte[1000];
        new Random(7).nextBytes(junk);
        junk[10] = (byte) 0xFF; // a false sync inside the junk
        junk[11] = (byte) 0xFB;
        junk[12] = (byte) 0x90;
        junk[13] = (byte) 0x44;
        List<Mp3Frame> frames = readAll(concat(TestAudio.frames(MPEG1_128K, 20), junk, TestAudio.frames(MPEG1_128K, 20)));
        assertEquals(40, frames.size(), "all real frames, none made of junk");
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("skipped 1000 bytes"), warnings.get(0));
    }

    @Test
    void truncatedLastFrameIsSkippedWithAWarning() throws IOException {
        byte[] whole = TestAudio.frames(MPEG1_128K, 10);
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 200);
        List<Mp3Frame> frames = readAll(cut);
        assertEquals(9, frames.size());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("truncated"), warnings.get(0));
    }

    @Test
    void emptyAndTagOnlyInputsEndCleanly() throws IOException {
        assertTrue(readAll(new byte[0]).isEmpty());
        assertTrue(readAll("ID3".getBytes(StandardCharsets.ISO_8859_1)).isEmpty());
    }

    @Test
    void mixedFormatsKeepTheirOwnDurations() throws IOException {
        List<Mp3Frame> frames = readAll(concat(TestAudio.frames(MPEG1_128K, 10), TestAudio.frames(MPEG2_64K, 10)));
        assertEquals(20, frames.size());
        assertEquals(10 * 1152 / 44100.0 + 10 * 576 / 22050.0, seconds(frames), 1e-6);
    }

    @Test
    void realCbrFileFromLame() throws Exception {
        TestAudio.assumeFfmpeg();
        Path f = TestAudio.tone(dir.resolve("cbr.mp3"), 440, 3.0, "128k", 44100, "CBR tone", "Tester");
        List<Mp3Frame> frames = readAll(f);
        assertEquals(3.0, seconds(frames), 0.1);
        assertTrue(frames.stream().allMatch(x -> x.header().bitrateKbps() == 128));
        assertTrue(warnings.isEmpty(), warnings.toString());
        assertEquals(new TrackTags("CBR tone", "Tester", ""), TrackTags.read(f));
    }

    @Test
    void realVbrFileHasVaryingBitratesAndItsXingFrameIsNotAudio() throws Exception {
        TestAudio.assumeFfmpeg();
        Path f = TestAudio.tone(dir.resolve("vbr.mp3"), 440, 3.0, null, 44100, "VBR tone", null);
        byte[] raw = Files.readAllBytes(f);
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("Xing") || text.contains("Info"), "lame wrote a VBR header frame");
        List<Mp3Frame> frames = readAll(raw);
        for (Mp3Frame fr : frames) {
            String s = new String(fr.data(), StandardCharsets.ISO_8859_1);
            assertFalse(s.contains("Xing") || s.contains("Info"), "VBR header frame passed as audio");
        }
        Set<Integer> rates = new HashSet<>();
        frames.forEach(x -> rates.add(x.header().bitrateKbps()));
        assertTrue(rates.size() > 1, "VBR bitrates: " + rates);
        assertEquals(3.0, seconds(frames), 0.1);
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void realFileWithCorruptionAndTruncationStillYieldsItsGoodFrames() throws Exception {
        TestAudio.assumeFfmpeg();
        byte[] raw = Files.readAllBytes(TestAudio.tone(dir.resolve("c.mp3"), 440, 3.0, "128k", 44100, "t", null));
        int good = readAll(raw).size();
        warnings.clear();
        byte[] damaged = raw.clone();
        new Random(3).nextBytes(new byte[0]);
        for (int i = raw.length / 2; i < raw.length / 2 + 2000; i++) {
            damaged[i] = (byte) 0x55; // overwritten in place: the frames there are lost, the rest must play
        }
        damaged = java.util.Arrays.copyOf(damaged, damaged.length - 100);
        List<Mp3Frame> frames = readAll(damaged);
        assertTrue(frames.size() >= good - 8 && frames.size() < good, "frames " + frames.size() + " of " + good);
        assertFalse(warnings.isEmpty());
    }

    @Test
    void silenceFrameMatchesTheFormatOfTheStream() {
        Mp3Frame like = new Mp3Frame(FrameHeader.parse(MPEG2_64K), TestAudio.frame(MPEG2_64K));
        Mp3Frame s = Mp3Frame.silenceLike(like);
        assertEquals(22050, s.header().sampleRate());
        assertEquals(s.header().length(), s.data().length);
        assertArrayEquals(new byte[] { (byte) 0xFF, (byte) 0xF3 }, java.util.Arrays.copyOf(s.data(), 2));
        assertEquals(417, Mp3Frame.defaultSilence().data().length);
    }

    static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
