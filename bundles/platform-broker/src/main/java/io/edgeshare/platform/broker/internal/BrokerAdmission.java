package io.edgeshare.platform.broker.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.BiPredicate;

/**
 * Which username and password pairs the embedded broker admits (K1): the platform's own user with the
 * instance's generated password, and every enrolled device with its current password. The client id each may
 * use is checked inside the broker.
 */
final class BrokerAdmission implements BiPredicate<String, byte[]> {
    static final String PLATFORM_USERNAME = "edgeshare-platform";

    private final DeviceRegistry devices;
    private final byte[] platformPassword;

    BrokerAdmission(DeviceRegistry devices, String platformPassword) {
        this.devices = devices;
        this.platformPassword = platformPassword.getBytes(StandardCharsets.UTF_8);
    }

    boolean platformCanConnect() {
        return platformPassword.length > 0;
    }

    @Override
    public boolean test(String username, byte[] password) {
        if (username.equals(PLATFORM_USERNAME)) {
            return platformPassword.length > 0 && MessageDigest.isEqual(platformPassword, password);
        }
        return devices.verify(username, password);
    }
}
