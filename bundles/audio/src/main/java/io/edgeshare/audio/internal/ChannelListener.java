package io.edgeshare.audio.internal;

/**
 * One connected listener as the channel sees it, whatever the transport. The channel never copies audio
 * per listener: it only tells a listener that new chunks exist, and drops it when it has fallen out of
 * the ring.
 */
public interface ChannelListener {

    /** Sequence number of the next chunk this listener will send; -1 before its start is assigned. */
    long position();

    /** New chunks were published and this listener was waiting for them: send what it can. */
    void wake();

    /** Disconnects the listener; {@code reason} is logged. Idempotent: true only the first time. */
    boolean drop(String reason);

    /** The admission ticket it presented, or null. */
    String ticket();

    /** Audio and metadata bytes handed to the transport so far. */
    long bytesSent();

    /** {@link SendQueueProbe#key} of this listener's TCP connection, or -1 when unknown. */
    long connectionKey();

    /** Whether it streams over the connection taken over from the HTTP container (the lean route). */
    boolean direct();
}
