/** The install-plan read model: each machine's current plan as the installer received it, without secrets. */
package com.ultracloud.deployer.projection.installplan;
