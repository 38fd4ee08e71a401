package io.weir.api.provider;

/**
 * The provider of GL_RSCA_QUERY (run-time status and control); mirrors IIS's
 * {@code IGlobalRSCAQueryProvider}. Raised by {@code WeirEngine.rscaQuery} on the caller's thread;
 * the first module that sets a result and returns HANDLED answers it.
 */
public interface GlobalRscaQueryProvider {

    /**
     * Returns the queried function's name. Mirrors {@code GetFunctionName}.
     *
     * @return the name
     */
    String functionName();

    /**
     * Returns the function's parameters. Mirrors {@code GetFunctionParameters}.
     *
     * @return the parameters as text, empty when none
     */
    String functionParameters();

    /**
     * Sets the query's answer. Mirrors {@code GetOutputBuffer} + {@code SetResult}.
     *
     * @param output the answer as text
     */
    void setResult(String output);

    /**
     * Returns the server's run-time state, from which a module answers a query. Weir's addition:
     * IIS's modules read the same data through other interfaces.
     *
     * @return the state when the query was raised
     */
    RuntimeStatus runtimeStatus();
}
