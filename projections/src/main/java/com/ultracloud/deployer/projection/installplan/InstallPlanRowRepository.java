package com.ultracloud.deployer.projection.installplan;

import org.springframework.data.jpa.repository.JpaRepository;

interface InstallPlanRowRepository extends JpaRepository<InstallPlanRow, String> {
}
