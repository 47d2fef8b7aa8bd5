package io.edgeshare.api.audio;

import org.osgi.annotation.versioning.ProviderType;

/** A live audio channel that nearby listeners can join. */
@ProviderType
public interface AudioChannel {

    /** Current state. */
    ChannelStatus status();
}
