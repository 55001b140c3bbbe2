/** Public vocabulary of the Machine aggregate: ids, states, actions, error codes. Records and enums only. */
package com.ultracloud.deployer.machine.api;
