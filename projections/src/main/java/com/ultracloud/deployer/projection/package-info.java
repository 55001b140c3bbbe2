/** Read models built from the event stream. Projections never send commands. */
package com.ultracloud.deployer.projection;
