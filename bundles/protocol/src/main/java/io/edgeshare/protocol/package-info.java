/**
 * The MQTT wire contract between gateways and the platform (docs/mqtt.md): the device-id rule, the topic
 * tree, one record per message and a codec. Both sides use it, so they cannot drift apart; no Gson type
 * appears in a signature.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.edgeshare.protocol;
