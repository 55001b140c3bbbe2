package com.ultracloud.deployer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The deployer gateway. Sits in the root package so it scans the projections module too. */
@SpringBootApplication
public class DeployerApplication {
    public static void main(String[] args) {
        SpringApplication.run(DeployerApplication.class, args);
    }
}
