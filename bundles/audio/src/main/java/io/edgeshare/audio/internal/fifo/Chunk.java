package io.edgeshare.audio.internal.fifo;

/**
 * A run of whole MP3 frames in the ring, shared read-only by every listener. Its sequence number is the
 * listener's position; {@code icy} is the metadata block for the item the chunk belongs to.
 *
 * @param seq           position in the channel's stream, counting from 0 at channel start
 * @param data          the frames, never modified after publication
 * @param durationNanos playing time of the frames
 * @param icy           metadata of the item playing (title, break flag)
 */
public record Chunk(long seq, byte[] data, long durationNanos, IcyMetadata icy) {
}
