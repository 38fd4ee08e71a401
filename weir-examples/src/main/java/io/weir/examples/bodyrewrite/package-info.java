/**
 * The IIS SDK's response-body rewriting pattern: a module subscribed to SEND_RESPONSE rewrites the
 * entity about to be sent, whichever module produced it.
 */
package io.weir.examples.bodyrewrite;
