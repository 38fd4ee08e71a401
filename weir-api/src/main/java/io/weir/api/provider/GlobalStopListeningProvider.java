package io.weir.api.provider;

/**
 * The provider of GL_STOP_LISTENING; mirrors IIS's {@code IGlobalStopListeningProvider}.
 */
public interface GlobalStopListeningProvider {

    /**
     * Tells whether requests in flight are allowed to finish. Mirrors
     * {@code DrainRequestsGracefully}.
     *
     * @return true for a graceful stop (SIGTERM), false for an immediate one
     */
    boolean drainRequestsGracefully();
}
