package io.edgeshare.protocol;

import java.util.regex.Pattern;

/**
 * Builds and parses the topic tree {@code {prefix}/gw/{deviceId}/...} of docs/mqtt.md. Building checks the
 * device id; parsing accepts only a well-formed topic of a known kind.
 */
public final class Topics {
    /** The default prefix. */
    public static final String DEFAULT_PREFIX = "edgeshare/v1";

    private static final Pattern COMMAND_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int MAX_RESPONSE_NAME = 256;

    private final String prefix;

    /**
     * @param prefix one or more non-empty topic levels without wildcards, e.g. {@code edgeshare/v1}
     * @throws IllegalArgumentException when the prefix cannot be a topic prefix
     */
    public Topics(String prefix) {
        if (prefix == null || prefix.isEmpty() || prefix.length() > 128 || prefix.startsWith("/")
                || prefix.endsWith("/") || prefix.contains("//") || prefix.contains("+") || prefix.contains("#")
                || prefix.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("topic prefix must be non-empty topic levels without wildcards, got "
                    + Fields.quote(prefix));
        }
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    /** {@code {prefix}/gw/{deviceId}}: every topic of that gateway starts here. */
    public String base(String deviceId) {
        return prefix + "/gw/" + DeviceId.require(deviceId);
    }

    /** The topic of an unnamed kind, e.g. {@code edgeshare/v1/gw/gw-x/presence}. */
    public String topic(String deviceId, TopicKind kind) {
        if (kind.named()) {
            throw new IllegalArgumentException(kind + " needs a name: use command() or response()");
        }
        return base(deviceId) + "/" + kind.path();
    }

    /** {@code {base}/cmd/{name}}. */
    public String command(String deviceId, String name) {
        if (name == null || !COMMAND_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("command name must match " + COMMAND_NAME + ", got "
                    + Fields.quote(name));
        }
        return base(deviceId) + "/cmd/" + name;
    }

    /** {@code {base}/res/}: where every answer of that gateway must go (contract K2). */
    public String responsePrefix(String deviceId) {
        return base(deviceId) + "/res/";
    }

    /** {@code {base}/res/{name}}. */
    public String response(String deviceId, String name) {
        String topic = responsePrefix(deviceId) + name;
        if (!validResponseName(name)) {
            throw new IllegalArgumentException("response name must be topic levels without wildcards, got "
                    + Fields.quote(name));
        }
        return topic;
    }

    /** The subscription filter for {@code kind} of every gateway, e.g. {@code edgeshare/v1/gw/+/status}. */
    public String everyGateway(TopicKind kind) {
        return prefix + "/gw/+/" + kind.path() + (kind == TopicKind.COMMAND ? "/+" : kind.named() ? "/#" : "");
    }

    /** The subscription filter for {@code kind} of one gateway, e.g. {@code edgeshare/v1/gw/gw-x/cmd/+}. */
    public String ownFilter(String deviceId, TopicKind kind) {
        return base(deviceId) + "/" + kind.path() + (kind == TopicKind.COMMAND ? "/+" : kind.named() ? "/#" : "");
    }

    /** Whether {@code topic} is a response topic of {@code deviceId}'s own: {@code {base}/res/{name}}. */
    public boolean isResponseTopicOf(String topic, String deviceId) {
        try {
            GatewayTopic t = parse(topic);
            return t.kind() == TopicKind.RESPONSE && t.deviceId().equals(deviceId);
        } catch (ProtocolException e) {
            return false;
        }
    }

    /**
     * Reads a topic of this tree.
     *
     * @throws ProtocolException when it is outside the prefix, has an invalid device id, an unknown kind, or
     *                           a wildcard, empty level or control character
     */
    public GatewayTopic parse(String topic) throws ProtocolException {
        String head = prefix + "/gw/";
        if (topic == null || !topic.startsWith(head)) {
            throw new ProtocolException("topic is not under " + head + ": " + Fields.quote(topic));
        }
        String rest = topic.substring(head.length());
        int slash = rest.indexOf('/');
        String deviceId = slash < 0 ? rest : rest.substring(0, slash);
        if (!DeviceId.isValid(deviceId)) {
            throw new ProtocolException("topic has no valid device id (" + DeviceId.RULE + "): "
                    + Fields.quote(topic));
        }
        if (slash < 0) {
            throw new ProtocolException("topic names no message kind: " + Fields.quote(topic));
        }
        String what = rest.substring(slash + 1);
        for (TopicKind kind : TopicKind.values()) {
            if (!kind.named() && what.equals(kind.path())) {
                return new GatewayTopic(deviceId, kind, "");
            }
        }
        if (what.startsWith("cmd/") && COMMAND_NAME.matcher(what.substring(4)).matches()) {
            return new GatewayTopic(deviceId, TopicKind.COMMAND, what.substring(4));
        }
        if (what.startsWith("res/") && validResponseName(what.substring(4))) {
            return new GatewayTopic(deviceId, TopicKind.RESPONSE, what.substring(4));
        }
        throw new ProtocolException("unknown or malformed topic: " + Fields.quote(topic));
    }

    private static boolean validResponseName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_RESPONSE_NAME || name.startsWith("/")
                || name.endsWith("/") || name.contains("//")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '+' || c == '#' || Character.isISOControl(c)) {
                return false;
            }
        }
        return true;
    }
}
