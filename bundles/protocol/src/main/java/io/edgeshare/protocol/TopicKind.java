package io.edgeshare.protocol;

/**
 * What a topic under {@code {prefix}/gw/{deviceId}/} carries, and who may use it (contract K2): the gateway
 * publishes only {@link #PRESENCE}, {@link #STATUS}, {@link #CATALOG}, {@link #POLICY_REPORTED} and
 * {@link #RESPONSE}; it subscribes only to {@link #NEARBY}, {@link #COMMAND} and {@link #POLICY_DESIRED}.
 */
public enum TopicKind {
    PRESENCE("presence", true),
    STATUS("status", true),
    CATALOG("catalog", true),
    POLICY_REPORTED("policy/reported", true),
    /** {@code res/{name...}}: a command answer; the name is one or more topic levels chosen by the asker. */
    RESPONSE("res", true),
    NEARBY("nearby", false),
    /** {@code cmd/{name}}: a command request. */
    COMMAND("cmd", false),
    POLICY_DESIRED("policy/desired", false);

    private final String path;
    private final boolean fromGateway;

    TopicKind(String path, boolean fromGateway) {
        this.path = path;
        this.fromGateway = fromGateway;
    }

    /** The topic levels after the device id ({@code cmd} and {@code res} take a name after them). */
    public String path() {
        return path;
    }

    /** Whether the gateway publishes it (else the platform does). */
    public boolean fromGateway() {
        return fromGateway;
    }

    /** Whether a name follows ({@code cmd/{name}}, {@code res/{name}}). */
    public boolean named() {
        return this == COMMAND || this == RESPONSE;
    }
}
