/**
 * A module that streams a large generated entity with asynchronous writes, at the pace the client
 * reads, holding one buffer whatever the entity's size.
 */
package io.weir.examples.streaming;
