/** The intent read model: the cluster intent in force (generation, sha256, when, the document). */
package com.ultracloud.deployer.projection.intent;
