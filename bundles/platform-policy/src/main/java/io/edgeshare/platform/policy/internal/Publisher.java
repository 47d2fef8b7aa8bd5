package io.edgeshare.platform.policy.internal;

/** Puts a retained QoS 1 message on the broker and waits for its acknowledgement: Paho, or a fake in tests. */
interface Publisher {

    boolean connected();

    void publishRetained(String topic, byte[] payload) throws Exception;
}
