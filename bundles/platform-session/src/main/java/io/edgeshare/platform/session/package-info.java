/**
 * The platform node's one MQTT session (issue 9): fleet and policy authoring subscribe and publish through it
 * instead of each holding a broker connection. With {@code cluster.shared} the ingest subscriptions become MQTT 5
 * shared subscriptions of the group {@value io.edgeshare.platform.session.PlatformSession#SHARE_GROUP}, and the
 * session says which node leads (pushes nearby lists, re-reads retained state). See docs/mqtt.md.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.edgeshare.platform.session;
