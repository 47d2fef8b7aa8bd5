package io.edgeshare.platform.broker.internal;

import java.util.List;
import java.util.function.Consumer;

/**
 * The devices the platform admits to its broker (contract K5): each has its own password, issued at enrolment
 * and kept only as a salted hash. Internal to this bundle: the broker checks credentials against it and the
 * devices servlet enrols and revokes.
 */
public interface DeviceRegistry {

    /** A device as listed: no secret. */
    record Device(String deviceId, long enrolledAtMillis) {
    }

    /** The answer to an enrolment: the password is in it and nowhere else. */
    record Enrolled(String deviceId, String password, boolean rotated) {
        @Override
        public String toString() {
            return "Enrolled[" + deviceId + ", rotated=" + rotated + "]"; // never the password
        }
    }

    /**
     * Issues a new password for the device (a known device gets a new one; the old stops working). Returns
     * only once the registry is on disk.
     *
     * @throws IllegalArgumentException when {@code deviceId} is not a device id (K1)
     */
    Enrolled enrol(String deviceId);

    /** Forgets the device: its password stops working and its connection is closed. */
    boolean revoke(String deviceId);

    List<Device> list();

    /** Whether this is the device's current password (takes a few milliseconds: hashing). */
    boolean verify(String deviceId, byte[] password);

    /** Called with the device id after each revocation. */
    void addRevocationListener(Consumer<String> listener);

    void removeRevocationListener(Consumer<String> listener);
}
