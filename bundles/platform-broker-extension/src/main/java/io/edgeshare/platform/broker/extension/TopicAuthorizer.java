package io.edgeshare.platform.broker.extension;

import java.util.Optional;
import java.util.function.Consumer;

import com.hivemq.extension.sdk.api.auth.PublishAuthorizer;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import com.hivemq.extension.sdk.api.parameter.ClientBasedInput;

/**
 * Applies {@link TopicAccess} to every PUBLISH (including a will) and every SUBSCRIBE, for the identity the
 * {@link ConnectAuthenticator} recorded. A connection without a recorded identity may do nothing.
 */
final class TopicAuthorizer implements PublishAuthorizer, SubscriptionAuthorizer {
    private final TopicAccess access;
    private final Consumer<String> events;

    TopicAuthorizer(TopicAccess access, Consumer<String> events) {
        this.access = access;
        this.events = events;
    }

    @Override
    public void authorizePublish(PublishAuthorizerInput input, PublishAuthorizerOutput output) {
        Optional<String> identity = identity(input);
        String topic = input.getPublishPacket().getTopic();
        if (identity.isPresent() && access.mayPublish(deviceOf(identity.get()), topic)) {
            output.authorizeSuccessfully();
        } else {
            events.accept("publish.refused");
            output.failAuthorization(AckReasonCode.NOT_AUTHORIZED, "not allowed to publish to this topic");
        }
    }

    @Override
    public void authorizeSubscribe(SubscriptionAuthorizerInput input, SubscriptionAuthorizerOutput output) {
        Optional<String> identity = identity(input);
        String filter = input.getSubscription().getTopicFilter();
        if (identity.isPresent() && access.maySubscribe(deviceOf(identity.get()), filter)) {
            output.authorizeSuccessfully();
        } else {
            events.accept("subscribe.refused");
            output.failAuthorization(SubackReasonCode.NOT_AUTHORIZED, "not allowed to subscribe to this filter");
        }
    }

    private static Optional<String> identity(ClientBasedInput input) {
        return input.getConnectionInformation().getConnectionAttributeStore()
                .getAsString(ConnectAuthenticator.IDENTITY);
    }

    /** @return the device id, or {@code null} for the platform */
    private static String deviceOf(String identity) {
        return identity.equals(ConnectAuthenticator.PLATFORM) ? null
                : identity.substring(ConnectAuthenticator.DEVICE.length());
    }
}
