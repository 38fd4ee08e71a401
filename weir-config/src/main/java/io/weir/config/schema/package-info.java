/**
 * The table of configuration sections Weir implements: collections, directive names, keys,
 * append/prepend order and expanded attributes, after IIS's {@code IIS_schema.xml}.
 */
package io.weir.config.schema;
