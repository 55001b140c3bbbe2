/** Pure domain services of the write side: no Spring, no Axon. */
package com.ultracloud.deployer.machine.domain;
