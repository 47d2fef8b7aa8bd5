package io.edgeshare.audio.internal;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Test audio made at test time: real MP3 files from ffmpeg (libmp3lame), and synthetic frames built from
 * headers where exact bytes matter. Nothing binary is committed.
 */
public final class TestAudio {

    private TestAudio() {
    }

    public static boolean ffmpegAvailable() {
        return new File("/usr/bin/ffmpeg").canExecute() || onPath("ffmpeg");
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (new File(dir, tool).canExecute()) {
                return true;
            }
        }
        return false;
    }

    public static void assumeFfmpeg() {
        Assumptions.assumeTrue(ffmpegAvailable(), "ffmpeg is needed to generate test audio (apt-get install ffmpeg)");
    }

    /**
     * A sine tone MP3: {@code bitrate} like "128k" for CBR, or null for VBR (lame -V2, with a Xing header).
     * Tags title/artist are written as ID3v2.
     */
    public static Path tone(Path file, int hz, double seconds, String bitrate, int sampleRate, String title,
            String artist) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                "sine=frequency=" + hz + ":sample_rate=" + sampleRate + ":duration=" + seconds, "-ac", "2",
                "-c:a", "libmp3lame"));
        if (bitrate == null) {
            cmd.addAll(List.of("-q:a", "2"));
        } else {
            cmd.addAll(List.of("-b:a", bitrate));
        }
        if (title != null) {
            cmd.addAll(List.of("-metadata", "title=" + title));
        }
        if (artist != null) {
            cmd.addAll(List.of("-metadata", "artist=" + artist));
        }
        cmd.addAll(List.of("-id3v2_version", "3", file.toString()));
        run(cmd);
        return file;
    }

    /** Runs a command with a bounded wait; fails with its output when it fails. */
    public static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread t = new Thread(() -> {
            try {
                p.getInputStream().transferTo(out);
            } catch (IOException ignored) {
                // process ended
            }
        });
        t.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + cmd);
        }
        t.join(5000);
        if (p.exitValue() != 0) {
            throw new IOException("failed (" + p.exitValue() + "): " + cmd + "\n" + out);
        }
        return out.toString();
    }

    /** A synthetic MPEG frame: the header bytes given, zero payload of the right length. */
    public static byte[] frame(int header) {
        var h = io.edgeshare.audio.internal.mp3.FrameHeader.parse(header);
        byte[] f = new byte[h.length()];
        f[0] = (byte) (header >>> 24);
        f[1] = (byte) (header >>> 16);
        f[2] = (byte) (header >>> 8);
        f[3] = (byte) header;
        return f;
    }

    /** MPEG-1 layer III 128 kbit/s 44.1 kHz stereo, no padding: 417 bytes, 1152 samples. */
    public static final int MPEG1_128K = 0xFFFB9044;
    /** MPEG-2 layer III 64 kbit/s 22.05 kHz: 576 samples per frame. */
    public static final int MPEG2_64K = 0xFFF38044;

    public static byte[] frames(int header, int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] f = frame(header);
        for (int i = 0; i < count; i++) {
            out.writeBytes(f);
        }
        return out.toByteArray();
    }

    public static Path write(Path file, byte[]... parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return Files.write(file, out.toByteArray());
    }
}
