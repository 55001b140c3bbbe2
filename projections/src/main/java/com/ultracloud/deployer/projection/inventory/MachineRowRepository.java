package com.ultracloud.deployer.projection.inventory;

import org.springframework.data.jpa.repository.JpaRepository;

interface MachineRowRepository extends JpaRepository<MachineRow, String> {
}
