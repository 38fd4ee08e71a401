/**
 * ProtocolSupportModule: custom and redirect response headers, the keep-alive switch, TRACE and
 * OPTIONS, from {@code system.webServer/httpProtocol}; mirrors IIS's ProtocolSupportModule
 * ({@code protsup.dll}).
 *
 * <p><b>Notifications:</b> SEND_RESPONSE (headers, keep-alive) and EXECUTE_REQUEST_HANDLER (as the
 * module of IIS's {@code TRACEVerbHandler} and {@code OPTIONSVerbHandler} mappings). <b>Section:</b>
 * {@link io.weir.modules.protocolsupport.HttpProtocolSection}.
 */
package io.weir.modules.protocolsupport;
