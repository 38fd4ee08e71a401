/**
 * Reading configuration files into element trees that keep the file, line and column of every
 * element and attribute (StAX, DTDs and external entities disabled).
 */
package io.weir.config.xml;
