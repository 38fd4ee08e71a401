package io.weir.modules.rewrite;

/**
 * A rule that cannot be carried out for a request: it sets a server variable that
 * {@code allowedServerVariables} does not list, or names a rewrite map that does not exist. The
 * request fails with URL Rewrite's substatus (500.50 for distributed rules, 500.51 for global rules,
 * 500.52 for outbound rules).
 */
final class RewriteException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what the rule attempted, naming the rule and where it is written
     */
    RewriteException(String message) {
        super(message);
    }
}
