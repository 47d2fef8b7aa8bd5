package io.edgeshare.platform.broker.extension;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who may publish and subscribe to which topic (contract K2): a gateway only to its own topics under
 * {@code {prefix}/gw/{deviceId}/}, never with a wildcard of its choosing; the platform to anything under the
 * prefix. Plain Java, so the rules are tested without a broker.
 */
public final class TopicAccess {
    /** The platform's MQTT username (K1); no device may have it. */
    public static final String PLATFORM_USERNAME = "edgeshare-platform";
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Set<String> DEVICE_PUBLISHES = Set.of("presence", "status", "catalog", "policy/reported");
    private static final Set<String> DEVICE_SUBSCRIBES = Set.of("nearby", "cmd/+", "cmd/#", "policy/desired");

    private final String prefix;

    /** @param prefix the topic prefix without a trailing slash, e.g. {@code edgeshare/v1} */
    public TopicAccess(String prefix) {
        this.prefix = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    /** Whether {@code username} can name a device (K1). */
    public static boolean isDeviceId(String username) {
        return username != null && DEVICE_ID.matcher(username).matches() && !username.equals(PLATFORM_USERNAME);
    }

    /** The client id a device must use (K1). */
    public static String clientIdOf(String deviceId) {
        return "gw-" + deviceId;
    }

    /** Whether a platform client may use this client id (K1). */
    public static boolean isPlatformClientId(String clientId) {
        return clientId.startsWith(PLATFORM_USERNAME);
    }

    /** @param deviceId the authenticated device, or {@code null} for the platform */
    public boolean mayPublish(String deviceId, String topic) {
        if (deviceId == null) {
            return topic.startsWith(prefix + "/");
        }
        String own = ownTopics(deviceId);
        if (!topic.startsWith(own)) {
            return false;
        }
        String rest = topic.substring(own.length());
        return DEVICE_PUBLISHES.contains(rest) || rest.startsWith("res/") && rest.length() > "res/".length();
    }

    /** @param deviceId the authenticated device, or {@code null} for the platform */
    public boolean maySubscribe(String deviceId, String filter) {
        if (deviceId == null) {
            return filter.startsWith(prefix + "/");
        }
        String own = ownTopics(deviceId);
        if (!filter.startsWith(own)) {
            return false;
        }
        String rest = filter.substring(own.length());
        // one command by name is inside cmd/+; any other wildcard would reach beyond what is addressed to it
        return DEVICE_SUBSCRIBES.contains(rest)
                || rest.startsWith("cmd/") && rest.length() > 4 && rest.substring(4).matches("[^/+#]+");
    }

    private String ownTopics(String deviceId) {
        return prefix + "/gw/" + deviceId + "/";
    }
}
