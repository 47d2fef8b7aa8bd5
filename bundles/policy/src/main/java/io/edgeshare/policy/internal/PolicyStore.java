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
}
