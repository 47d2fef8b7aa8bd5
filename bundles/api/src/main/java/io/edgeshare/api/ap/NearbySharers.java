package io.edgeshare.api.ap;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** The sharers currently known to be within range, whether discovered locally or pushed by the platform. */
@ProviderType
public interface NearbySharers {

    /** Sharers in range, nearest first. */
    List<NearbySharer> sharers();
}
