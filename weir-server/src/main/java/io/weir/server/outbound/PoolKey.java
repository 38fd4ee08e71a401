package io.weir.server.outbound;

import io.weir.api.outbound.OutboundAddress;

/**
 * What makes two pooled HTTP connections interchangeable: the backend and the response-head limit
 * their decoder was built with.
 *
 * @param address        the backend
 * @param maxHeaderBytes the decoder's head limit
 */
record PoolKey(OutboundAddress address, int maxHeaderBytes) {}
