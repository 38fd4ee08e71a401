/**
 * The reverse proxy: IIS's Application Request Routing ({@code requestRouter.dll}), module name
 * {@code ApplicationRequestRouting}.
 *
 * <p><b>Notifications:</b> MAP_REQUEST_HANDLER (a request whose {@code WEIR_PROXY_URL} server
 * variable URL Rewrite set is taken over) and EXECUTE_REQUEST_HANDLER (the request is forwarded
 * through the server's outbound connector, over TLS to an {@code https://} backend, and the
 * response streamed back; a WebSocket upgrade is passed through by
 * {@link io.weir.modules.proxy.WebSocketTunnel}). {@link io.weir.modules.proxy.ProxyRoute} lets
 * another module forward through the proxy's handler to a backend of its choosing.
 * <b>Sections:</b> {@link io.weir.modules.proxy.ProxySection} ({@code system.webServer/proxy})
 * and {@link io.weir.modules.proxy.WebFarmsSection} ({@code webFarms}). The behaviour is
 * described on {@link io.weir.modules.proxy.ProxyModule}; the farms' live state on
 * {@link io.weir.modules.proxy.ServerFarm} and {@link io.weir.modules.proxy.FarmServer}.
 */
package io.weir.modules.proxy;
