/** Wiring of the application: Axon, storage, properties. */
package com.ultracloud.deployer.gateway.config;
