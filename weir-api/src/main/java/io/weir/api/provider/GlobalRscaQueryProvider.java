package io.weir.api.provider;

/**
 * The provider of GL_RSCA_QUERY (run-time status and control); mirrors IIS's
 * {@code IGlobalRSCAQueryProvider}.
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
}
