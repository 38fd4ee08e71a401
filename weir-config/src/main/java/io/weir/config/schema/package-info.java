/**
 * The configuration schema: the table of sections Weir implements ({@link
 * io.weir.config.schema.ConfigSchema}: collections, directive names, keys, append/prepend order,
 * defaults and validators, after IIS's {@code IIS_schema.xml}), the reader of schema files in IIS's
 * own format ({@link io.weir.config.schema.SchemaFile}) through which modules declare sections of
 * their own, and the two together as one configuration snapshot reads them ({@link
 * io.weir.config.schema.SectionSchemas}).
 */
package io.weir.config.schema;
