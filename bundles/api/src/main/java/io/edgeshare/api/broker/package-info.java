/**
 * The platform's own login to its embedded MQTT broker, offered as a service by the broker bundle once the broker
 * listens, so platform components need no launcher property to connect (issue 13, docs/karaf.md).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.edgeshare.api.broker;
