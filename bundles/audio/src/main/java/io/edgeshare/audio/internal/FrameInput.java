package io.edgeshare.audio.internal;

import java.io.Closeable;
import java.io.IOException;

import io.edgeshare.audio.internal.mp3.Mp3Frame;

/** Frames of the item playing. */
interface FrameInput extends Closeable {

    /** A frame value meaning "none arrived in time" (a stalled pipe). */
    Mp3Frame STALLED = new Mp3Frame(null, new byte[0]);

    /**
     * The next frame, {@link #STALLED} if none arrived within {@code waitNanos}, or null at the end of the
     * item.
     */
    Mp3Frame next(long waitNanos) throws IOException, InterruptedException;
}
