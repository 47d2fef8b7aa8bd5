package io.edgeshare.audio.internal.mp3;

/**
 * One whole MPEG audio frame as found in the source, header included. The bytes are never modified once
 * the frame is built.
 */
public record Mp3Frame(FrameHeader header, byte[] data) {

    public long durationNanos() {
        return header.durationNanos();
    }

    /**
     * A frame that decodes to silence, in the format of {@code like}: same version, layer, rate and
     * channel mode, no CRC, no padding. All-zero side information and main data decode to silence in
     * every layer. Used to keep listeners connected while a source stalls.
     */
    public static Mp3Frame silenceLike(Mp3Frame like) {
        byte[] src = like.data();
        int h = ((src[0] & 0xFF) << 24) | ((src[1] & 0xFF) << 16) | ((src[2] & 0xFF) << 8) | (src[3] & 0xFF);
        h |= 1 << 16; // protection bit set = no CRC
        h &= ~(1 << 9); // no padding
        FrameHeader header = FrameHeader.parse(h);
        byte[] data = new byte[header.length()];
        data[0] = (byte) (h >>> 24);
        data[1] = (byte) (h >>> 16);
        data[2] = (byte) (h >>> 8);
        data[3] = (byte) h;
        return new Mp3Frame(header, data);
    }

    /** MPEG-1 layer III, 44.1 kHz, 128 kbit/s, joint stereo silence: for a channel that never had audio. */
    public static Mp3Frame defaultSilence() {
        byte[] data = new byte[4];
        data[0] = (byte) 0xFF;
        data[1] = (byte) 0xFB;
        data[2] = (byte) 0x90;
        data[3] = (byte) 0x44;
        return silenceLike(new Mp3Frame(FrameHeader.parse(data, 0), data));
    }
}
