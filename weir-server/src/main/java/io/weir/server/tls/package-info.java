/**
 * TLS for https bindings: certificate files and stores (Weir's store folders named by
 * {@code certificateStoreName} and looked up by {@code certificateHash}, the central certificate
 * store of {@code host.pfx} files), the per-listener certificate choice by SNI with reload on file
 * change, the TLS server variables, and the development certificate of {@code weir serve --https-port}.
 */
package io.weir.server.tls;
