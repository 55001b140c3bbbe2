/** Inventory projection rebuild against a raw sequential read and decode of the same events. */
package com.ultracloud.deployer.bench.replay;
