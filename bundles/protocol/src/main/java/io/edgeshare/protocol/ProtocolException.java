package io.edgeshare.protocol;

/**
 * A topic or payload that breaks the contract. The message is one line meant for a log or an error answer:
 * it names the field and the rule, never a parser's class or stack.
 */
public final class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message, null, false, false);
    }
}
