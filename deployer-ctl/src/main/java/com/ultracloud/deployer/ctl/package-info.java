/**
 * {@code deployer-ctl}: the operator's command line for the deployer's audit and debugging reads (docs/debugging.md).
 * Plain Java: picocli and the JDK's HttpClient; the write side's classes only for {@code debug replay}.
 */
package com.ultracloud.deployer.ctl;
