/**
 * Wire records of the machine-facing protocol (DESIGN §8.1), shared by the gateway and the
 * installer-client. Plain records with Jackson annotations only: no Spring, no Axon. Field names
 * are a contract: add fields freely, rename none.
 */
package com.ultracloud.deployer.protocol;
