/** Boot storm: N new installers discover at once, against a bare insert-and-commit HTTP endpoint. */
package com.ultracloud.deployer.bench.storm;
