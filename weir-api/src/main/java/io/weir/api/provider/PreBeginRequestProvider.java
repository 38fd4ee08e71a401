package io.weir.api.provider;

import io.weir.api.http.HttpContext;

/**
 * The provider of GL_PRE_BEGIN_REQUEST; mirrors IIS's {@code IPreBeginRequestProvider}.
 */
public interface PreBeginRequestProvider {

    /**
     * Returns the context of the request about to enter the pipeline. A global module may set the
     * response and call {@link #finishRequest()} to answer it here.
     *
     * @return the request's context
     */
    HttpContext httpContext();

    /**
     * Ends the request before BEGIN_REQUEST: the response set so far is sent, and only LOG_REQUEST
     * and END_REQUEST run. Weir's explicit form of what IIS modules do by setting an error status
     * in this notification.
     */
    void finishRequest();
}
