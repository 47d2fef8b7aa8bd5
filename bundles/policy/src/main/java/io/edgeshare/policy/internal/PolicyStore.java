package io.edgeshare.policy.internal;

import java.io.IOException;
import java.util.Optional;
import java.util.Properties;

/** Where the last known good document and the decision record survive a reboot. */
interface PolicyStore {

    Optional<byte[]> loadGood() throws IOException;

    void saveGood(byte[] document) throws IOException;

    Properties loadState() throws IOException;

    void saveState(Properties state) throws IOException;

    /** The profile's own values of the keys policies changed ({@link Baseline}), empty before any policy. */
    Optional<byte[]> loadBaseline() throws IOException;

    void saveBaseline(byte[] baseline) throws IOException;
}
