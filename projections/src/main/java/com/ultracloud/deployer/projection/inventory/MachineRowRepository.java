package com.ultracloud.deployer.projection.inventory;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;

interface MachineRowRepository extends JpaRepository<MachineRow, String>, JpaSpecificationExecutor<MachineRow> {
}
