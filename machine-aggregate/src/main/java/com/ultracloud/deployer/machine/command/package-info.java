/**
 * The Machine aggregate and its registration with Axon. The aggregate is package-private: the rest
 * of the system talks to it only through commands ({@code api.command}) and events ({@code api.event}).
 */
package com.ultracloud.deployer.machine.command;
