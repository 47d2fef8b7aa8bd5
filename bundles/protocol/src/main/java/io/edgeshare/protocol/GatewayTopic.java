package io.edgeshare.protocol;

/**
 * A parsed topic: which gateway it concerns and what it carries.
 *
 * @param deviceId a valid device id
 * @param kind     what the topic carries
 * @param name     the command name ({@code cmd/{name}}) or response name ({@code res/{name}}); empty otherwise
 */
public record GatewayTopic(String deviceId, TopicKind kind, String name) {
}
