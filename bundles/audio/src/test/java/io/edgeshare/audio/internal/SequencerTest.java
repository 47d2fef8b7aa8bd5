package io.edgeshare.audio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SequencerTest {

    @TempDir
    Path dir;

    static Settings settings(Path playlist, Path breaks, int every) {
        return new Settings("main", "Main", playlist, null, false, true, 5_000_000_000L, 1_000_000_000L,
                2_000_000_000L, 200_000_000L, Admission.Mode.OPEN, 0, "", breaks, every, null, "", 20, 16000, true,
                java.util.List.of(), 1L << 28);
    }

    private List<String> play(Sequencer s, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            PlayItem item = s.next();
            out.add(item.displayTitle());
            s.finished(item, true);
        }
        return out;
    }

    private Path tracks(String sub, String... names) throws Exception {
        Path d = Files.createDirectories(dir.resolve(sub));
        for (String n : names) {
            TestAudio.write(d.resolve(n + ".mp3"), TestAudio.frames(TestAudio.MPEG1_128K, 2));
        }
        return d;
    }

    @Test
    void breaksComeEveryNSongsBetweenSongsOnly() throws Exception {
        Sequencer s = new Sequencer(new Random(1), w -> { });
        s.configure(settings(tracks("m", "a", "b", "c"), tracks("br", "news"), 2));
        assertEquals(List.of("a", "b", "[Break] news", "c", "a", "[Break] news", "b"), play(s, 7));
    }

    @Test
    void breakAtEverySwitch() throws Exception {
        Sequencer s = new Sequencer(new Random(1), w -> { });
        s.configure(settings(tracks("m", "a", "b"), tracks("br", "ad1", "ad2"), 1));
        assertEquals(List.of("a", "[Break] ad1", "b", "[Break] ad2", "a"), play(s, 5));
    }

    @Test
    void requestsPlayBeforeThePlaylistInOrderAndKeepTheirPositions() throws Exception {
        Path m = tracks("m", "a", "b");
        Sequencer s = new Sequencer(new Random(1), w -> { });
        s.configure(settings(m, null, 0));
        assertEquals(List.of("a"), play(s, 1));
        assertEquals(1, s.enqueue(new PlayItem(PlayItem.Kind.REQUEST, m.resolve("b.mp3"), "req1", "r1")));
        assertEquals(2, s.enqueue(new PlayItem(PlayItem.Kind.REQUEST, m.resolve("a.mp3"), "req2", "r2")));
        assertEquals(2, s.position("r2"));
        assertEquals(List.of("req1", "req2", "b"), s.upcoming(3));
        assertEquals(List.of("req1", "req2", "b"), play(s, 3));
        assertEquals(0, s.position("r2"));
    }

    @Test
    void reconfiguringKeepsThePlaylistPositionAndAppliesTheNewBreakSchedule() throws Exception {
        Path m = tracks("m", "a", "b", "c");
        Path br = tracks("br", "news");
        Sequencer s = new Sequencer(new Random(1), w -> { });
        s.configure(settings(m, br, 0));
        assertEquals(List.of("a"), play(s, 1));
        s.configure(settings(m, br, 1));
        assertEquals(List.of("[Break] news", "b", "[Break] news", "c"), play(s, 4));
        s.configure(settings(tracks("m2", "x", "y"), br, 0));
        assertEquals(List.of("x", "y"), play(s, 2));
    }
}
