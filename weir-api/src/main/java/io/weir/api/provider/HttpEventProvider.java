package io.weir.api.provider;

/**
 * The provider every notification method receives; mirrors IIS's {@code IHttpEventProvider}.
 * Valid only during the notification call that received it.
 */
public interface HttpEventProvider {

    /**
     * Records why the module failed, for the log and detailed error pages. Does not by itself change
     * processing: set the response status and return FINISH_REQUEST for that. Mirrors
     * {@code SetErrorStatus}.
     *
     * @param error the cause
     */
    void setErrorStatus(Throwable error);
}
