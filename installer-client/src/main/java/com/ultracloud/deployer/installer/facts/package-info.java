/**
 * Collects the discover request (DESIGN §8.1, {@code MachineInventory}) from sysfs, procfs, udev's
 * database and the JDK, relative to a {@link com.ultracloud.deployer.installer.facts.SystemRoot}: the
 * live machine ({@code /}) or a recorded tree. Missing or unreadable files give null facts, never a
 * crash. Independent of the command line.
 */
package com.ultracloud.deployer.installer.facts;
