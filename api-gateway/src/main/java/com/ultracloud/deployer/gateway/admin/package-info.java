/** Administration: event processor status and projection rebuilds. */
package com.ultracloud.deployer.gateway.admin;
