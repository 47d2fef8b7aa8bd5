package io.edgeshare.audio.internal.mp3;

/**
 * A decoded MPEG audio frame header (MPEG 1, 2 and 2.5, layers I to III). Only the fields the pacing and
 * resynchronisation need; immutable.
 *
 * @param version     1 (MPEG-1), 2 (MPEG-2) or 25 (MPEG-2.5)
 * @param layer       1, 2 or 3
 * @param bitrateKbps bitrate of this frame in kbit/s (differs per frame in VBR files)
 * @param sampleRate  samples per second
 * @param padding     whether the frame carries a padding slot
 * @param channels    1 or 2
 * @param protectedByCrc whether a 16-bit CRC follows the header
 * @param length      whole frame length in bytes, header included
 * @param samples     PCM samples per channel this frame decodes to
 */
public record FrameHeader(int version, int layer, int bitrateKbps, int sampleRate, boolean padding, int channels,
        boolean protectedByCrc, int length, int samples) {

    private static final int[][] BITRATES_V1 = {
            { 0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448 },
            { 0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384 },
            { 0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320 } };
    private static final int[][] BITRATES_V2 = {
            { 0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256 },
            { 0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160 },
            { 0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160 } };
    private static final int[] RATES_V1 = { 44100, 48000, 32000 };

    /** Frame duration in nanoseconds, exact to the sample. */
    public long durationNanos() {
        return samples * 1_000_000_000L / sampleRate;
    }

    /**
     * Parses the four header bytes at {@code offset}, or returns null when they are not a usable header
     * (no sync, reserved values, free-format or invalid bitrate).
     */
    public static FrameHeader parse(byte[] b, int offset) {
        int h = ((b[offset] & 0xFF) << 24) | ((b[offset + 1] & 0xFF) << 16) | ((b[offset + 2] & 0xFF) << 8)
                | (b[offset + 3] & 0xFF);
        return parse(h);
    }

    public static FrameHeader parse(int h) {
        if ((h >>> 21) != 0x7FF) {
            return null;
        }
        int versionBits = (h >>> 19) & 3;
        int layerBits = (h >>> 17) & 3;
        int bitrateIndex = (h >>> 12) & 15;
        int rateIndex = (h >>> 10) & 3;
        if (versionBits == 1 || layerBits == 0 || bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3) {
            return null;
        }
        if ((h & 3) == 2) { // reserved emphasis: a false sync in practice
            return null;
        }
        int version = versionBits == 3 ? 1 : versionBits == 2 ? 2 : 25;
        int layer = 4 - layerBits;
        int bitrate = (version == 1 ? BITRATES_V1 : BITRATES_V2)[layer - 1][bitrateIndex];
        int sampleRate = RATES_V1[rateIndex] / (version == 1 ? 1 : version == 2 ? 2 : 4);
        boolean padding = ((h >>> 9) & 1) == 1;
        boolean crc = ((h >>> 16) & 1) == 0;
        int channels = ((h >>> 6) & 3) == 3 ? 1 : 2;
        int samples;
        int length;
        if (layer == 1) {
            samples = 384;
            length = (12 * bitrate * 1000 / sampleRate + (padding ? 1 : 0)) * 4;
        } else if (layer == 2 || version == 1) {
            samples = 1152;
            length = 144 * bitrate * 1000 / sampleRate + (padding ? 1 : 0);
        } else {
            samples = 576;
            length = 72 * bitrate * 1000 / sampleRate + (padding ? 1 : 0);
        }
        return new FrameHeader(version, layer, bitrate, sampleRate, padding, channels, crc, length, samples);
    }

    /** Whether {@code other} can follow this header in the same stream (same version, layer and rate). */
    public boolean compatible(FrameHeader other) {
        return other != null && other.version == version && other.layer == layer && other.sampleRate == sampleRate;
    }

    /** Bytes of layer III side information after the header (and CRC). */
    int sideInfoLength() {
        if (layer != 3) {
            return 0;
        }
        if (version == 1) {
            return channels == 1 ? 17 : 32;
        }
        return channels == 1 ? 9 : 17;
    }
}
