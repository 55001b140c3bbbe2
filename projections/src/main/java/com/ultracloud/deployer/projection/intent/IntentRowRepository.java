package com.ultracloud.deployer.projection.intent;

import org.springframework.data.jpa.repository.JpaRepository;

interface IntentRowRepository extends JpaRepository<IntentRow, String> {
}
