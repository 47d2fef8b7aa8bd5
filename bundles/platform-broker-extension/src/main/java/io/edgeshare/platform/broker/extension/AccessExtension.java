package io.edgeshare.platform.broker.extension;

import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import com.codahale.metrics.Counter;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.Authorizer;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;

/**
 * EdgeShare's access control inside the embedded HiveMQ: authenticates every CONNECT and authorizes every
 * PUBLISH and SUBSCRIBE (contracts K1, K2). It lives in HiveMQ's class loader; the OSGi side talks to it only
 * through JDK types: it passes a credential check and an event sink in, and gets back a {@link Consumer} that
 * disconnects a device (used when a device is revoked) and a {@link LongSupplier} of the messages HiveMQ dropped.
 */
public final class AccessExtension implements ExtensionMain, Consumer<String>, LongSupplier {
    /** HiveMQ CE's count of messages it dropped (a client's queue full, or a shared subscription's). */
    static final String DROPPED = "com.hivemq.messages.dropped.count";

    private final TopicAccess access;
    private final BiPredicate<String, byte[]> credentials;
    private final Consumer<String> events;

    /**
     * @param topicPrefix e.g. {@code edgeshare/v1}
     * @param credentials (username, password) → whether the platform knows this pair
     * @param events      names of refusals and admissions, for counting
     */
    public AccessExtension(String topicPrefix, BiPredicate<String, byte[]> credentials, Consumer<String> events) {
        this.access = new TopicAccess(topicPrefix);
        this.credentials = credentials;
        this.events = events;
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        Services.securityRegistry().setAuthenticatorProvider(in -> new ConnectAuthenticator(credentials, events));
        Authorizer authorizer = new TopicAuthorizer(access, events);
        Services.securityRegistry().setAuthorizerProvider(in -> authorizer);
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        // HiveMQ drops the providers with the extension
    }

    /**
     * How many messages HiveMQ has dropped since it started, mostly because a client's queue was full
     * ({@code <queued-messages><max-queue-size>}); -1 before the extension started.
     */
    @Override
    public long getAsLong() {
        try {
            Counter dropped = Services.metricRegistry().getCounters().get(DROPPED);
            return dropped == null ? -1 : dropped.getCount();
        } catch (RuntimeException e) { // HiveMQ not (or no longer) running
            return -1;
        }
    }

    /** Disconnects the device's current connection, if any (its session ends too). */
    @Override
    public void accept(String deviceId) {
        Services.clientService().disconnectClient(TopicAccess.clientIdOf(deviceId), false);
    }
}
