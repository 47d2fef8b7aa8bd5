package io.edgeshare.platform.broker.extension;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import com.hivemq.extension.sdk.api.services.Services;

/**
 * Admits a client only with a username and password the platform knows, and only under the client id that
 * username owns: {@code gw-{deviceId}} for a device, {@code edgeshare-platform*} for the platform. A stranger
 * can therefore not take over a gateway's session by reusing its client id. The identity is kept in the
 * connection's attribute store for the authorizers.
 */
final class ConnectAuthenticator implements SimpleAuthenticator {
    static final String IDENTITY = "edgeshare.identity";
    static final String PLATFORM = "platform";
    static final String DEVICE = "device:";

    private final BiPredicate<String, byte[]> credentials;
    private final Consumer<String> events;

    ConnectAuthenticator(BiPredicate<String, byte[]> credentials, Consumer<String> events) {
        this.credentials = credentials;
        this.events = events;
    }

    @Override
    public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
        ConnectPacket connect = input.getConnectPacket();
        String username = connect.getUserName().orElse(null);
        byte[] password = connect.getPassword().map(ConnectAuthenticator::bytes).orElse(null);
        if (username == null || password == null) {
            refuse(output, ConnackReasonCode.NOT_AUTHORIZED, "connect.refused.anonymous");
            return;
        }
        String clientId = connect.getClientId();
        boolean platform = username.equals(TopicAccess.PLATFORM_USERNAME);
        if (platform ? !TopicAccess.isPlatformClientId(clientId)
                : !TopicAccess.isDeviceId(username) || !clientId.equals(TopicAccess.clientIdOf(username))) {
            refuse(output, ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID, "connect.refused.client.id");
            return;
        }
        // hashing a password takes milliseconds: not on the broker's network threads
        Async<SimpleAuthOutput> async = output.async(Duration.ofSeconds(10), TimeoutFallback.FAILURE);
        Services.extensionExecutorService().execute(() -> {
            try {
                if (credentials.test(username, password)) {
                    input.getConnectionInformation().getConnectionAttributeStore()
                            .putAsString(IDENTITY, platform ? PLATFORM : DEVICE + username);
                    events.accept("connect.accepted");
                    output.authenticateSuccessfully();
                } else {
                    refuse(output, ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "connect.refused.credentials");
                }
            } catch (RuntimeException e) {
                refuse(output, ConnackReasonCode.UNSPECIFIED_ERROR, "connect.refused.error");
            } finally {
                Arrays.fill(password, (byte) 0);
                async.resume();
            }
        });
    }

    private void refuse(SimpleAuthOutput output, ConnackReasonCode code, String event) {
        events.accept(event);
        output.failAuthentication(code, code == ConnackReasonCode.UNSPECIFIED_ERROR ? "try again later"
                : "unknown client, credential or client id");
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.asReadOnlyBuffer();
        byte[] b = new byte[copy.remaining()];
        copy.get(b);
        return b;
    }
}
